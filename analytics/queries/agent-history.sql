-- agent-history: past outcomes per agent and capability, as the selector reads them back into
-- AgentHistory (summed per agent, and per capability as `byCapability`; it smooths successes /
-- trials with a Beta(2, 2) prior).
--
-- Parameters:
--   since  DateTime64(3, 'UTC')  count events at or after this instant (code default: 30 days ago)
--
-- Columns:
--   agent        agent id
--   capability   the capability of the agent the step's work called on (the step rows' `capability`;
--                '' when unknown)
--   trials       finished steps + ratings on its steps
--   successes    completed steps + `up` ratings (a failed step or a `down` rating is a failure)
--   discussions  decided conflicts it took part in with a step of this capability
--   prevailed    of which the winner was its opening position
--
-- A rating given after its run ended has no capability on its row (the row context forgets a run's
-- plan when the run ends): it takes the capability of the step it rates.
--
-- clickhouse-client --param_since='2026-01-01 00:00:00' --queries-file analytics/queries/agent-history.sql
WITH
    ratings AS (
        SELECT run_id, step_id, toString(agent) AS agent, toString(capability) AS capability, rating
        FROM run_events
        WHERE type = 'feedback.given' AND agent != '' AND at >= {since:DateTime64(3, 'UTC')}
    ),
    openings AS (
        SELECT
            run_id,
            opening.agent AS agent,
            opening.step AS step_id,
            toUInt64(opening.position = winner) AS prevailed
        FROM
        (
            SELECT
                run_id,
                JSONExtract(
                    anyIf(payload, type = 'conflict.detected'),
                    'conflict', 'positions', 'Array(Tuple(agent String, step String, position String))'
                ) AS openings,
                argMaxIf(position, seq, type IN ('discussion.resolved', 'conflict.decided')) AS winner
            FROM run_events
            WHERE
                type IN ('conflict.detected', 'discussion.resolved', 'conflict.decided')
                AND at >= {since:DateTime64(3, 'UTC')}
            GROUP BY run_id, conflict_id
            HAVING countIf(type IN ('discussion.resolved', 'conflict.decided')) > 0
        )
        ARRAY JOIN openings AS opening
    ),
    -- The capability of each rated or disputed step, from its step row.
    step_capabilities AS (
        SELECT run_id, step_id, any(toString(capability)) AS capability
        FROM run_events
        WHERE
            type IN ('step.completed', 'step.failed') AND at >= {since:DateTime64(3, 'UTC')}
            AND cityHash64(run_id, step_id) IN (
                SELECT cityHash64(run_id, step_id)
                FROM (SELECT run_id, step_id FROM ratings UNION ALL SELECT run_id, step_id FROM openings)
            )
        GROUP BY run_id, step_id
    ),
    facts AS (
        SELECT
            toString(agent) AS agent,
            toString(capability) AS capability,
            count() AS trials,
            countIf(type = 'step.completed') AS successes,
            toUInt64(0) AS discussions,
            toUInt64(0) AS prevailed
        FROM run_events
        WHERE type IN ('step.completed', 'step.failed') AND at >= {since:DateTime64(3, 'UTC')}
        GROUP BY agent, capability
        UNION ALL
        SELECT r.agent, if(r.capability != '', r.capability, c.capability), 1, r.rating = 'up', 0, 0
        FROM ratings AS r
        LEFT JOIN step_capabilities AS c ON r.run_id = c.run_id AND r.step_id = c.step_id
        UNION ALL
        SELECT o.agent, c.capability, 0, 0, 1, o.prevailed
        FROM openings AS o
        LEFT JOIN step_capabilities AS c ON o.run_id = c.run_id AND o.step_id = c.step_id
    )
SELECT
    agent,
    capability,
    sum(trials) AS trials,
    sum(successes) AS successes,
    sum(discussions) AS discussions,
    sum(prevailed) AS prevailed
FROM facts
GROUP BY agent, capability
ORDER BY agent, capability
