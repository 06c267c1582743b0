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
-- A model answer ("call") is an agent.completed row, or a step.completed row whose (run_id, step_id)
-- has none (a producer that publishes step events only): a step publishes both with the same usage,
-- and is counted once.
-- Failed attempts carry no usage and are not here.
--
-- clickhouse-client --param_since='2026-01-01 00:00:00' --queries-file analytics/queries/cost-breakdown.sql
WITH
    calls AS (
        SELECT agent, model, provider, local, tokens_in, tokens_out, cost_usd
        FROM run_events
        WHERE type = 'agent.completed' AND at >= {since:DateTime64(3, 'UTC')}
        UNION ALL
        SELECT agent, model, provider, local, tokens_in, tokens_out, cost_usd
        FROM run_events
        WHERE
            type = 'step.completed' AND at >= {since:DateTime64(3, 'UTC')}
            AND cityHash64(run_id, step_id) NOT IN (
                SELECT cityHash64(run_id, step_id)
                FROM run_events
                WHERE type = 'agent.completed' AND at >= {since:DateTime64(3, 'UTC')}
            )
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
