-- local-share: how much ran on local models, and the money that saved against a cloud price.
--
-- Parameters:
--   since               DateTime64(3, 'UTC')  count answers at or after this instant (code default: 30 days ago)
--   cloud_price_per_1k  Float64               USD per 1,000 tokens (in + out) of the cloud model to compare
--                                              with (code default: 0.002)
--
-- Columns (one row):
--   calls               model answers (step answers and discussion revisions)
--   localCalls          of which served by a local model
--   localShare          localCalls / calls; null when there were none
--   tokens              tokens in + out of every answer
--   localTokens         of which on local models
--   costUsd             what every answer cost
--   cloudEquivalentUsd  tokens x cloud_price_per_1k / 1000: everything at the cloud price
--   savedUsd            localTokens x cloud_price_per_1k / 1000 - what the local answers cost: the money
--                       the local answers saved (cloud answers cost the same either way)
--
-- A model answer ("call") is an agent.completed row, or a step.completed row whose (run_id, step_id)
-- has none (a producer that publishes step events only): a step publishes both with the same usage,
-- and is counted once.
--
-- clickhouse-client --param_since='2026-01-01 00:00:00' --param_cloud_price_per_1k=0.002 \
--   --queries-file analytics/queries/local-share.sql
WITH
    calls AS (
        SELECT local, toUInt64(tokens_in) + tokens_out AS call_tokens, cost_usd
        FROM run_events
        WHERE type = 'agent.completed' AND at >= {since:DateTime64(3, 'UTC')}
        UNION ALL
        SELECT local, toUInt64(tokens_in) + tokens_out AS call_tokens, cost_usd
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
    count() AS calls,
    countIf(local = 1) AS localCalls,
    if(calls = 0, NULL, localCalls / calls) AS localShare,
    sum(call_tokens) AS tokens,
    sumIf(call_tokens, local = 1) AS localTokens,
    sum(cost_usd) AS costUsd,
    tokens * {cloud_price_per_1k:Float64} / 1000 AS cloudEquivalentUsd,
    localTokens * {cloud_price_per_1k:Float64} / 1000 - sumIf(cost_usd, local = 1) AS savedUsd
FROM calls
