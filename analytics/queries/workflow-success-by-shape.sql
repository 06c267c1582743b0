-- workflow-success-by-shape: how runs end by the shape of their plan, one row per mode and shape.
--
-- Parameters:
--   since  DateTime64(3, 'UTC')  count runs created at or after this instant that have finished
--                                (code default: 30 days ago)
--
-- Columns:
--   mode           single | multi | workflow (workflow.created; '' when unknown)
--   shape          single (one step) | chain (one step per level) | parallel (one level) | dag | none (no plan)
--   stepsBucket    planned steps: 0 | 1 | 2-3 | 4-6 | 7-10 | 11+
--   depth          longest dependency chain, in steps
--   width          most steps on one level (steps whose longest chain of dependencies is equally long)
--   runs           runs that finished
--   completed      of which completed
--   failed         of which failed
--   cancelled      of which cancelled
--   successRate    completed / (completed + failed); null when none (a cancelled run is no verdict)
--   avgDurationMs  mean time from workflow.created to the run's end, ms
--
-- The shape is read from the run's last workflow.planned payload (plan.steps[].id, .dependsOn) with
-- JSONExtract; levels are found by relaxing every step n times (n = steps), so the steps may come
-- in any order.
--
-- clickhouse-client --param_since='2026-01-01 00:00:00' --queries-file analytics/queries/workflow-success-by-shape.sql
WITH
    runs AS (
        SELECT
            run_id,
            anyIf(mode, type = 'workflow.created') AS mode,
            argMaxIf(outcome, seq, type IN ('workflow.completed', 'workflow.failed', 'workflow.cancelled') AS is_end)
                AS outcome,
            toUnixTimestamp64Milli(maxIf(at, is_end)) - toUnixTimestamp64Milli(minIf(at, type = 'workflow.created'))
                AS duration_ms
        FROM run_events
        WHERE
            type IN ('workflow.created', 'workflow.completed', 'workflow.failed', 'workflow.cancelled')
            AND at >= {since:DateTime64(3, 'UTC')}
        GROUP BY run_id
        HAVING countIf(type = 'workflow.created') > 0 AND countIf(is_end) > 0
    ),
    plans AS (
        SELECT
            run_id,
            JSONExtractArrayRaw(argMax(payload, seq), 'plan', 'steps') AS plan_steps,
            arrayMap(s -> JSONExtractString(s, 'id'), plan_steps) AS ids,
            arrayMap(s -> arrayMap(d -> indexOf(ids, d), JSONExtract(s, 'dependsOn', 'Array(String)')), plan_steps)
                AS deps,
            arrayFold(
                (levels, pass) -> arrayMap(
                    ds -> toUInt32(1 + arrayMax(arrayMap(j -> if(j = 0, 0, levels[j]), ds))),
                    deps
                ),
                range(length(ids)),
                arrayWithConstant(length(ids), toUInt32(1))
            ) AS levels,
            length(ids) AS steps,
            arrayMax(levels) AS depth,
            arrayMax(arrayMap(l -> countEqual(levels, l), levels)) AS width
        FROM run_events
        WHERE type = 'workflow.planned' AND at >= {since:DateTime64(3, 'UTC')}
        GROUP BY run_id
    )
SELECT
    toString(r.mode) AS mode,
    multiIf(p.steps = 0, 'none', p.steps = 1, 'single', p.width = 1, 'chain', p.depth = 1, 'parallel', 'dag')
        AS shape,
    multiIf(p.steps = 0, '0', p.steps = 1, '1', p.steps <= 3, '2-3', p.steps <= 6, '4-6', p.steps <= 10, '7-10', '11+')
        AS stepsBucket,
    p.depth AS depth,
    p.width AS width,
    count() AS runs,
    countIf(r.outcome = 'completed') AS completed,
    countIf(r.outcome = 'failed') AS failed,
    countIf(r.outcome = 'cancelled') AS cancelled,
    if(completed + failed = 0, NULL, completed / (completed + failed)) AS successRate,
    avg(r.duration_ms) AS avgDurationMs
FROM runs AS r
LEFT JOIN plans AS p ON r.run_id = p.run_id
GROUP BY mode, shape, stepsBucket, depth, width
ORDER BY runs DESC, mode, shape, stepsBucket, depth, width
