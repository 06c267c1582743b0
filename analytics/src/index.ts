export { type AnalyticsTarget, type ClickHouseClient, createAnalyticsClient, describeTarget } from './clickhouse';
export { type EventRow, type RowContext, eventRows } from './event-row';
export { MIGRATIONS_DIR, type Migration, loadMigrations, migrate, splitStatements } from './migrate';
export { createRowContext } from './row-context';
