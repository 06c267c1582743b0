-- workflow-history: one row per run that finished since {since}: the training set for prediction.
--
-- Parameters:
--   since  DateTime64(3, 'UTC')  runs that finished at or after this instant (code default: 30 days ago)
--
-- Columns (snake_case where analytics/src/prediction/features.ts reads them so):
--   run_id         run id
--   created_at     workflow.created, DateTime64(3, 'UTC') (the zod row gives ms since 1970)
--   ended_at       the run's last workflow.completed | failed | cancelled, same type
--   durationMs     ended_at - created_at
--   outcome        completed | failed | cancelled
--   costUsd        the run's total cost, from its final usage totals
--   tokens         the run's total tokens in + out, from the same
--   mode           single | multi | workflow
--   task_category  task_category of workflow.created ('' when uncategorised)
--   plan           the run's last plan as JSON text ('' when it had none)
--   agents         agents that finished a step in the run, sorted
--   models         models that answered in the run (steps and discussion revisions), sorted
--
-- A run whose workflow.created row is missing (written before analytics, or older than the data
-- kept) has no duration and is left out.
--
-- clickhouse-client --param_since='2026-01-01 00:00:00' --queries-file analytics/queries/workflow-history.sql
WITH
    finished AS (
        SELECT
            run_id,
            argMax(outcome, seq) AS outcome,
            max(at) AS ended_at,
            argMax(cost_usd, seq) AS cost_usd,
            argMax(toUInt64(tokens_in) + tokens_out, seq) AS tokens
        FROM run_events
        WHERE type IN ('workflow.completed', 'workflow.failed', 'workflow.cancelled') AND at >= {since:DateTime64(3, 'UTC')}
        GROUP BY run_id
    ),
    details AS (
        SELECT
            run_id,
            minIf(at, type = 'workflow.created') AS created_at,
            countIf(type = 'workflow.created') > 0 AS started,
            anyIf(mode, type = 'workflow.created') AS mode,
            anyIf(task_category, type = 'workflow.created') AS task_category,
            argMaxIf(payload, seq, type = 'workflow.planned') AS planned,
            arraySort(groupUniqArrayIf(toString(agent), type IN ('step.completed', 'step.failed'))) AS agents,
            arraySort(groupUniqArrayIf(toString(model), type IN ('agent.completed', 'step.completed'))) AS models
        FROM run_events
        WHERE
            type IN ('workflow.created', 'workflow.planned', 'step.completed', 'step.failed', 'agent.completed')
            AND run_id IN (SELECT run_id FROM finished)
        GROUP BY run_id
    )
SELECT
    f.run_id AS run_id,
    d.created_at AS created_at,
    f.ended_at AS ended_at,
    toUnixTimestamp64Milli(f.ended_at) - toUnixTimestamp64Milli(d.created_at) AS durationMs,
    toString(f.outcome) AS outcome,
    f.cost_usd AS costUsd,
    f.tokens AS tokens,
    toString(d.mode) AS mode,
    toString(d.task_category) AS task_category,
    if(d.planned = '', '', JSONExtractRaw(d.planned, 'plan')) AS plan,
    d.agents AS agents,
    d.models AS models
FROM finished AS f
INNER JOIN details AS d ON f.run_id = d.run_id
WHERE d.started
ORDER BY ended_at, run_id
