-- trends: one row per UTC day with activity, from the day of {since} on.
--
-- Parameters:
--   since  DateTime64(3, 'UTC')  first day counted is toDate(since), whole (code default: 30 days ago)
--
-- Columns:
--   day              UTC date
--   runs             runs that finished that day (workflow.completed | failed | cancelled)
--   completed        of which completed
--   failed           of which failed
--   cancelled        of which cancelled
--   successRate      completed / (completed + failed); null when none (a cancelled run is no verdict)
--   steps            steps finished that day, from the agent_daily rollup
--   stepSuccessRate  completed steps / steps, from agent_daily; null when none
--   calls            model answers (step answers and discussion revisions)
--   costUsd          what they cost
--   localShare       share of those answers served by a local model; null when none
--   conflicts        conflicts detected
--   escalations      discussions escalated to a person
--
-- A model answer ("call") is an agent.completed row, or a step.completed row whose (run_id, step_id)
-- has none (a producer that publishes step events only). Costs are summed from answers rather than
-- from agent_daily because the rollup counts step answers only, not the revisions of discussions.
--
-- clickhouse-client --param_since='2026-01-01 00:00:00' --queries-file analytics/queries/trends.sql
WITH
    days AS (
        SELECT
            toDate(at) AS day,
            countIf(type LIKE 'workflow.%') AS runs,
            countIf(type = 'workflow.completed') AS completed,
            countIf(type = 'workflow.failed') AS failed,
            countIf(type = 'workflow.cancelled') AS cancelled,
            toUInt64(0) AS steps,
            toUInt64(0) AS completed_steps,
            toUInt64(0) AS calls,
            toUInt64(0) AS local_calls,
            toFloat64(0) AS cost_usd,
            countIf(type = 'conflict.detected') AS conflicts,
            countIf(type = 'discussion.escalated') AS escalations
        FROM run_events
        WHERE
            type IN (
                'workflow.completed', 'workflow.failed', 'workflow.cancelled', 'conflict.detected',
                'discussion.escalated'
            )
            AND at >= toStartOfDay({since:DateTime64(3, 'UTC')})
        GROUP BY day
        UNION ALL
        SELECT
            day, 0, 0, 0, 0,
            countMerge(steps), countIfMerge(succeeded),
            0, 0, 0, 0, 0
        FROM agent_daily
        WHERE day >= toDate({since:DateTime64(3, 'UTC')})
        GROUP BY day
        UNION ALL
        SELECT toDate(at) AS day, 0, 0, 0, 0, 0, 0, count(), countIf(local = 1), sum(cost_usd), 0, 0
        FROM run_events
        WHERE
            (type = 'agent.completed' OR (
                type = 'step.completed'
                AND cityHash64(run_id, step_id) NOT IN (
                    SELECT cityHash64(run_id, step_id)
                    FROM run_events
                    WHERE type = 'agent.completed' AND at >= toStartOfDay({since:DateTime64(3, 'UTC')})
                )
            ))
            AND at >= toStartOfDay({since:DateTime64(3, 'UTC')})
        GROUP BY day
    )
SELECT
    day,
    sum(runs) AS runs,
    sum(completed) AS completed,
    sum(failed) AS failed,
    sum(cancelled) AS cancelled,
    if(completed + failed = 0, NULL, completed / (completed + failed)) AS successRate,
    sum(steps) AS steps,
    if(steps = 0, NULL, sum(completed_steps) / steps) AS stepSuccessRate,
    sum(calls) AS calls,
    sum(cost_usd) AS costUsd,
    if(calls = 0, NULL, sum(local_calls) / calls) AS localShare,
    sum(conflicts) AS conflicts,
    sum(escalations) AS escalations
FROM days
GROUP BY day
ORDER BY day
