import { mkdirSync } from 'node:fs';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';

export type { ClickHouseClient };

export interface AnalyticsTarget {
  /** A ClickHouse server (`http://user:pass@host:8123/db`); when absent, chDB embedded. */
  url?: string;
  /** Where embedded chDB keeps its data; one process at a time may open it. */
  path?: string;
}

/** Where the data is, for messages (passwords hidden). */
export function describeTarget(target: AnalyticsTarget): string {
  if (!target.url) return `embedded ClickHouse (chDB) in ${target.path ?? ':memory:'}`;
  const url = new URL(target.url);
  if (url.password) url.password = '***';
  return `ClickHouse at ${url.toString()}`;
}

/**
 * One client API for both back-ends: `@clickhouse/client` over HTTP to a server, or over chDB's
 * connection (the engine in this process, queries off the event loop).
 */
export function createAnalyticsClient(target: AnalyticsTarget): ClickHouseClient {
  if (target.url) {
    return createClient({ url: target.url, clickhouse_settings: { date_time_input_format: 'best_effort' } });
  }
  const path = target.path ?? ':memory:';
  if (path !== ':memory:') mkdirSync(path, { recursive: true });
  return createClient({
    connection: createChdbConnection({ path }),
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  } as Parameters<typeof createClient>[0]);
}
