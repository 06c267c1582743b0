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
    steps AS (
        SELECT run_id, step_id, toString(agent) AS agent, toString(capability) AS capability, type
        FROM run_events
        WHERE type IN ('step.completed', 'step.failed') AND at >= {since:DateTime64(3, 'UTC')}
    ),
    step_capabilities AS (
        SELECT run_id, step_id, any(capability) AS capability
        FROM steps
        WHERE run_id IN (
            SELECT run_id FROM run_events WHERE type IN ('feedback.given', 'conflict.detected') AND at >= {since:DateTime64(3, 'UTC')}
        )
        GROUP BY run_id, step_id
    ),
    ratings AS (
        SELECT
            f.agent AS agent,
            if(f.capability != '', f.capability, c.capability) AS capability,
            toUInt64(1) AS trials,
            toUInt64(f.rating = 'up') AS successes,
            toUInt64(0) AS discussions,
            toUInt64(0) AS prevailed
        FROM
        (
            SELECT run_id, step_id, toString(agent) AS agent, toString(capability) AS capability, rating
            FROM run_events
            WHERE type = 'feedback.given' AND agent != '' AND at >= {since:DateTime64(3, 'UTC')}
        ) AS f
        LEFT JOIN step_capabilities AS c ON f.run_id = c.run_id AND f.step_id = c.step_id
    ),
    openings AS (
        SELECT run_id, conflict_id, p.agent AS agent, any(p.step) AS step_id, any(p.position) AS opened
        FROM run_events
        ARRAY JOIN
            JSONExtract(payload, 'conflict', 'positions', 'Array(Tuple(agent String, step String, position String))') AS p
        WHERE type = 'conflict.detected' AND at >= {since:DateTime64(3, 'UTC')}
        GROUP BY run_id, conflict_id, agent
    ),
    winners AS (
        SELECT run_id, conflict_id, argMax(position, seq) AS winner
        FROM run_events
        WHERE type IN ('discussion.resolved', 'conflict.decided') AND at >= {since:DateTime64(3, 'UTC')}
        GROUP BY run_id, conflict_id
    ),
    stances AS (
        SELECT
            o.agent AS agent,
            c.capability AS capability,
            toUInt64(0) AS trials,
            toUInt64(0) AS successes,
            toUInt64(1) AS discussions,
            toUInt64(o.opened = w.winner) AS prevailed
        FROM openings AS o
        INNER JOIN winners AS w ON o.run_id = w.run_id AND o.conflict_id = w.conflict_id
        LEFT JOIN step_capabilities AS c ON o.run_id = c.run_id AND o.step_id = c.step_id
    ),
    facts AS (
        SELECT agent, capability, toUInt64(1) AS trials, toUInt64(type = 'step.completed') AS successes,
            toUInt64(0) AS discussions, toUInt64(0) AS prevailed
        FROM steps
        UNION ALL
        SELECT * FROM ratings
        UNION ALL
        SELECT * FROM stances
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
