-- workflow-history: one row per run created since {since} that has finished: the training set for
-- prediction.
--
-- Parameters:
--   limit  UInt32  the most recent runs only (code default: 5000; keeps training fast)
--   since  DateTime64(3, 'UTC')  runs created at or after this instant (code default: 30 days ago)
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
-- A run is read whole from its workflow.created on, in one pass grouped by run; plans (the only
-- payloads read) are joined in afterwards.
--
-- clickhouse-client --param_since='2026-01-01 00:00:00' --queries-file analytics/queries/workflow-history.sql
WITH
    runs AS (
        SELECT
            run_id,
            minIf(at, type = 'workflow.created') AS created_at,
            maxIf(at, type IN ('workflow.completed', 'workflow.failed', 'workflow.cancelled') AS is_end) AS ended_at,
            argMaxIf(outcome, seq, is_end) AS outcome,
            argMaxIf(cost_usd, seq, is_end) AS cost_usd,
            argMaxIf(toUInt64(tokens_in) + tokens_out, seq, is_end) AS tokens,
            anyIf(mode, type = 'workflow.created') AS mode,
            anyIf(task_category, type = 'workflow.created') AS task_category,
            arraySort(groupUniqArrayIf(toString(agent), type IN ('step.completed', 'step.failed'))) AS agents,
            arraySort(groupUniqArrayIf(toString(model), type IN ('agent.completed', 'step.completed'))) AS models
        FROM run_events
        WHERE
            type IN (
                'workflow.created', 'workflow.completed', 'workflow.failed', 'workflow.cancelled',
                'step.completed', 'step.failed', 'agent.completed'
            )
            AND at >= {since:DateTime64(3, 'UTC')}
        GROUP BY run_id
        HAVING countIf(type = 'workflow.created') > 0 AND countIf(is_end) > 0
    ),
    plans AS (
        SELECT run_id, JSONExtractRaw(argMax(payload, seq), 'plan') AS plan
        FROM run_events
        WHERE type = 'workflow.planned' AND at >= {since:DateTime64(3, 'UTC')}
        GROUP BY run_id
    )
SELECT *
FROM (
    SELECT
        r.run_id AS run_id,
        r.created_at AS created_at,
        r.ended_at AS ended_at,
        toUnixTimestamp64Milli(r.ended_at) - toUnixTimestamp64Milli(r.created_at) AS durationMs,
        toString(r.outcome) AS outcome,
        r.cost_usd AS costUsd,
        r.tokens AS tokens,
        toString(r.mode) AS mode,
        toString(r.task_category) AS task_category,
        p.plan AS plan,
        r.agents AS agents,
        r.models AS models
    FROM runs AS r
    LEFT JOIN plans AS p ON r.run_id = p.run_id
    ORDER BY ended_at DESC, run_id DESC
    LIMIT {limit:UInt32}
)
ORDER BY ended_at, run_id
