-- reVo analytics: one row per domain event of every run (token deltas excluded: they are ephemeral).
--
-- Column conventions (every table in this folder):
--   * snake_case names; ids are String; small vocabularies (type, agent, model, provider, outcome,
--     rating, mode, task_category) are LowCardinality(String).
--   * `at` and every `*_at` is DateTime64(3, 'UTC'); durations are Float64 milliseconds named `*_ms`;
--     money is Float64 US dollars named `cost_usd`; tokens are UInt32.
--   * A value an event does not carry is '' (strings) or 0 (numbers); `payload` always holds the
--     whole event as JSON, so nothing is lost to the flattening.
--   * `task_category` (on workflow.created) is the agent a task calls for first; `capability` (on
--     step rows) is the capability of the step's agent that the step's instruction called on most.
--   * `event_id` is `<run_id>/<seq>` (`/<n>` appended when one event becomes several rows, e.g. one
--     row per stance of a discussion round); inserts carry a deduplication token per batch, so a
--     batch replayed after an outage is written once.
-- Partitioned by month; ordered for the per-agent queries (type, agent, time).
CREATE TABLE IF NOT EXISTS run_events
(
    event_id        String,
    run_id          String,
    conversation_id String,
    seq             UInt32,
    type            LowCardinality(String),
    at              DateTime64(3, 'UTC'),
    step_id         String,
    agent           LowCardinality(String),
    model           LowCardinality(String),
    provider        LowCardinality(String),
    local           UInt8,
    tokens_in       UInt32,
    tokens_out      UInt32,
    cost_usd        Float64,
    latency_ms      Float64,
    outcome         LowCardinality(String),
    confidence      Float32,
    position        String,
    conflict_id     String,
    round           UInt16,
    rating          LowCardinality(String),
    comment         String,
    mode            LowCardinality(String),
    task_category   LowCardinality(String),
    capability      LowCardinality(String),
    payload         String
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (type, agent, at, run_id, seq)
SETTINGS non_replicated_deduplication_window = 10000;
