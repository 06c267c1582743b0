-- Per agent and day: steps answered and failed, cost, tokens, latency quantiles. Kept up to date by
-- a materialised view over run_events; read with the -Merge combinators (see queries/trends.sql).
CREATE TABLE IF NOT EXISTS agent_daily
(
    day          Date,
    agent        LowCardinality(String),
    steps        AggregateFunction(count),
    succeeded    AggregateFunction(countIf, UInt8),
    cost_usd     AggregateFunction(sum, Float64),
    tokens       AggregateFunction(sum, UInt64),
    latency_ms   AggregateFunction(quantilesExact(0.5, 0.95), Float64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (agent, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS agent_daily_mv TO agent_daily AS
SELECT
    toDate(at) AS day,
    agent,
    countState() AS steps,
    countIfState(toUInt8(type = 'step.completed')) AS succeeded,
    sumState(cost_usd) AS cost_usd,
    sumState(toUInt64(tokens_in + tokens_out)) AS tokens,
    quantilesExactState(0.5, 0.95)(latency_ms) AS latency_ms
FROM run_events
WHERE type IN ('step.completed', 'step.failed')
GROUP BY day, agent;
