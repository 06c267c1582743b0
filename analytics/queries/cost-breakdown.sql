-- cost-breakdown: what the model answers cost, by agent and model.
--
-- Parameters:
--   since  DateTime64(3, 'UTC')  count answers at or after this instant (code default: 30 days ago)
--
-- Columns:
--   agent       agent id
--   model       model name as the usage reports it
--   provider    ollama | openai | anthropic | offline | fake
--   local       1 when the model ran locally
--   calls       model answers (step answers and discussion revisions)
--   tokensIn    prompt tokens
--   tokensOut   completion tokens
--   tokens      tokensIn + tokensOut
--   costUsd     what they cost
--   costShare   costUsd / the cost of every row; null when nothing cost anything
--
-- A model answer ("call") is an agent.completed row, or a step.completed row that has none, one per
-- (run_id, step_id): each step publishes both with the same usage, so neither is counted twice.
-- Failed attempts carry no usage and are not here.
--
-- clickhouse-client --param_since='2026-01-01 00:00:00' --queries-file analytics/queries/cost-breakdown.sql
WITH
    calls AS (
        SELECT
            any(agent) AS agent,
            any(model) AS model,
            any(provider) AS provider,
            any(local) AS local,
            any(tokens_in) AS tokens_in,
            any(tokens_out) AS tokens_out,
            any(cost_usd) AS cost_usd
        FROM run_events
        WHERE type IN ('agent.completed', 'step.completed') AND at >= {since:DateTime64(3, 'UTC')}
        GROUP BY run_id, step_id
    )
SELECT
    toString(agent) AS agent,
    toString(model) AS model,
    toString(provider) AS provider,
    local,
    count() AS calls,
    sum(tokens_in) AS tokensIn,
    sum(tokens_out) AS tokensOut,
    tokensIn + tokensOut AS tokens,
    sum(cost_usd) AS costUsd,
    if(sum(costUsd) OVER () = 0, NULL, costUsd / sum(costUsd) OVER ()) AS costShare
FROM calls
GROUP BY agent, model, provider, local
ORDER BY costUsd DESC, agent, model
