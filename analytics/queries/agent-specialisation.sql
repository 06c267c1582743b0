-- agent-specialisation: how each agent does per task category, one row per agent and category.
--
-- Parameters:
--   since  DateTime64(3, 'UTC')  count steps finished at or after this instant (code default: 30 days ago)
--
-- Columns:
--   agent         agent id
--   taskCategory  the run's task_category (from its workflow.created row; '' when uncategorised)
--   runs          distinct runs of that category in which the agent finished a step
--   steps         steps it finished there (step.completed + step.failed)
--   completed     of which completed
--   successRate   completed / steps
--   stepShare     steps / all the agent's steps: how much of its work is this category
--
-- clickhouse-client --param_since='2026-01-01 00:00:00' --queries-file analytics/queries/agent-specialisation.sql
WITH
    categories AS (
        SELECT run_id, any(task_category) AS task_category
        FROM run_events
        WHERE type = 'workflow.created'
        GROUP BY run_id
    )
SELECT
    toString(s.agent) AS agent,
    toString(c.task_category) AS taskCategory,
    uniqExact(s.run_id) AS runs,
    count() AS steps,
    countIf(s.type = 'step.completed') AS completed,
    completed / steps AS successRate,
    steps / sum(steps) OVER (PARTITION BY agent) AS stepShare
FROM run_events AS s
LEFT JOIN categories AS c ON s.run_id = c.run_id
WHERE s.type IN ('step.completed', 'step.failed') AND s.at >= {since:DateTime64(3, 'UTC')}
GROUP BY agent, taskCategory
ORDER BY agent, taskCategory
