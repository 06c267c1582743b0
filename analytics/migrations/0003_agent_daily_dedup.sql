-- A batch replayed after an outage carries the deduplication token it was first sent with;
-- run_events drops the repeat, but each table of an insert deduplicates on its own (ClickHouse
-- 26.x), so the rollup needs its own window or it would count the replayed rows again.
ALTER TABLE agent_daily MODIFY SETTING non_replicated_deduplication_window = 10000;
