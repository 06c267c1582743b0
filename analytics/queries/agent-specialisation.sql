-- agent-specialisation: how each agent does per task category, one row per agent and category.
--
-- Parameters:
--   since  DateTime64(3, 'UTC')  count steps finished at or after this instant (code default: 30 days ago)
--
-- Columns:
--   agent         agent id
--   taskCategory  the run's task_category (from its workflow.created row; '' when uncategorised)
--   runs          distinct runs of that category in which the agent finished a step (by a 64-bit
--                 hash of run_id)
--   steps         steps it finished there (step.completed + step.failed)
--   completed     of which completed
--   successRate   completed / steps
--   stepShare     steps / all the agent's steps: how much of its work is this category
--
-- Runs are matched to their category on a 64-bit hash of run_id (a hash join on a number, not a
-- string).
--
-- clickhouse-client --param_since='2026-01-01 00:00:00' --queries-file analytics/queries/agent-specialisation.sql
WITH
    categories AS (
        SELECT cityHash64(run_id) AS run_hash, any(task_category) AS task_category
        FROM run_events
        WHERE type = 'workflow.created'
        GROUP BY run_hash
    )
SELECT
    toString(s.agent) AS agent,
    toString(c.task_category) AS taskCategory,
    uniqExact(cityHash64(s.run_id)) AS runs,
    count() AS steps,
    countIf(s.type = 'step.completed') AS completed,
    completed / steps AS successRate,
    steps / sum(steps) OVER (PARTITION BY agent) AS stepShare
FROM run_events AS s
LEFT JOIN categories AS c ON cityHash64(s.run_id) = c.run_hash
WHERE s.type IN ('step.completed', 'step.failed') AND s.at >= {since:DateTime64(3, 'UTC')}
GROUP BY agent, taskCategory
ORDER BY agent, taskCategory
