-- agent-performance: how each agent does, one row per agent that finished a step since {since}.
--
-- Parameters:
--   since  DateTime64(3, 'UTC')  count events at or after this instant (code default: 30 days ago)
--
-- Columns:
--   agent             agent id
--   runs              distinct runs in which it finished a step (counted by a 64-bit hash of run_id)
--   steps             steps it finished (step.completed + step.failed)
--   successRate       completed steps / steps
--   p50LatencyMs      exact median latency of its completed steps (quantilesExact; null when none)
--   p95LatencyMs      exact 95th percentile of the same (the value at rank floor(0.95 n), no interpolation)
--   costUsd           what its step answers cost (step.completed rows, as agent_daily sums them;
--                     discussion revisions are in cost-breakdown)
--   costPerTask       costUsd / runs
--   ratings           feedback ratings given on its steps (run-level feedback names no agent: not counted)
--   satisfaction      share of `up` among those ratings; null when it has none
--   discussions       decided conflicts it took part in (resolved by consensus or vote, or decided by a person)
--   prevailed         share of those where the winner was its opening position; null when none
--   movedToConsensus  share where it opened elsewhere and its last stance was the winner; null when none
--
-- Opening positions come from the conflict.detected payload (round 0 is never published as a
-- round); an agent's last stance is its stance in the highest round of discussion.round.completed.
-- One pass over the rows of each kind and no join of event rows: 10M events read in well under a
-- second (bench/suites/analytics-query.ts).
--
-- clickhouse-client --param_since='2026-01-01 00:00:00' --queries-file analytics/queries/agent-performance.sql
WITH
    steps AS (
        SELECT
            agent,
            uniqExact(cityHash64(run_id)) AS runs,
            count() AS steps,
            countIf(type = 'step.completed') AS completed,
            sum(cost_usd) AS cost_usd,
            quantilesExactIf(0.5, 0.95)(latency_ms, type = 'step.completed') AS latency
        FROM run_events
        WHERE type IN ('step.completed', 'step.failed') AND at >= {since:DateTime64(3, 'UTC')}
        GROUP BY agent
    ),
    ratings AS (
        SELECT agent, count() AS ratings, countIf(rating = 'up') AS ups
        FROM run_events
        WHERE type = 'feedback.given' AND agent != '' AND at >= {since:DateTime64(3, 'UTC')}
        GROUP BY agent
    ),
    conflicts AS (
        SELECT
            JSONExtract(
                anyIf(payload, type = 'conflict.detected'),
                'conflict', 'positions', 'Array(Tuple(agent String, position String))'
            ) AS openings,
            arraySort(s -> s.2, groupArrayIf((toString(agent), round, position), type = 'discussion.round.completed'))
                AS stances,
            argMaxIf(position, seq, type IN ('discussion.resolved', 'conflict.decided')) AS winner
        FROM run_events
        WHERE
            type IN ('conflict.detected', 'discussion.round.completed', 'discussion.resolved', 'conflict.decided')
            AND at >= {since:DateTime64(3, 'UTC')}
        GROUP BY run_id, conflict_id
        HAVING countIf(type IN ('discussion.resolved', 'conflict.decided')) > 0
    ),
    discussions AS (
        SELECT
            opening.agent AS agent,
            count() AS discussions,
            countIf(opening.position = winner) AS prevailed,
            countIf(opening.position != winner AND arrayLast(s -> s.1 = opening.agent, stances).3 = winner) AS moved
        FROM conflicts
        ARRAY JOIN openings AS opening
        GROUP BY agent
    )
SELECT
    toString(s.agent) AS agent,
    s.runs AS runs,
    s.steps AS steps,
    s.completed / s.steps AS successRate,
    s.latency[1] AS p50LatencyMs,
    s.latency[2] AS p95LatencyMs,
    s.cost_usd AS costUsd,
    s.cost_usd / s.runs AS costPerTask,
    r.ratings AS ratings,
    if(r.ratings = 0, NULL, r.ups / r.ratings) AS satisfaction,
    d.discussions AS discussions,
    if(d.discussions = 0, NULL, d.prevailed / d.discussions) AS prevailed,
    if(d.discussions = 0, NULL, d.moved / d.discussions) AS movedToConsensus
FROM steps AS s
LEFT JOIN ratings AS r ON s.agent = r.agent
LEFT JOIN discussions AS d ON s.agent = d.agent
ORDER BY agent
