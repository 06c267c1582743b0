import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ClickHouseClient } from './clickhouse';

/** One insert's worth of rows: JSONEachRow bytes and the token that makes sending it again harmless. */
export interface Batch {
  token: string;
  rows: number;
  body: Buffer;
}

/** Inserts one batch into `table`, once however often it is called with the same token. */
export type BatchInsert = (table: string, batch: Batch) => Promise<void>;

/**
 * The deduplication token of a batch: from its table, size and first and last event ids (each
 * unique), so the same batch, retried or replayed by any process, carries the same token.
 */
export const batchToken = (table: string, rows: number, firstId: string, lastId: string): string =>
  createHash('sha256').update(`${table}\n${rows}\n${firstId}\n${lastId}`).digest('hex').slice(0, 32);

interface ChdbRawInsert {
  rawInsert(params: {
    table: string;
    values: Buffer;
    format: 'JSONEachRow';
    settings: Record<string, string>;
  }): Promise<unknown>;
}

/** chDB's own insert when the client runs over `chdb/connection` (kept in a private field of the client). */
function chdbOf(client: ClickHouseClient): ChdbRawInsert | undefined {
  const chdb = (client as unknown as { connection?: { chdb?: Partial<ChdbRawInsert> } }).connection?.chdb;
  return typeof chdb?.rawInsert === 'function' ? (chdb as ChdbRawInsert) : undefined;
}

/**
 * Batch inserts through `client`. Over chDB, the bytes go to the engine as they are (no string
 * copies on the event loop); over HTTP, as the request body. Either way the token is a setting of
 * the statement itself: given as `clickhouse_settings`, chDB's connection would turn it into a
 * session-wide `SET` that outlives the insert and silently swallows later inserts into the table.
 */
export function batchInsert(client: ClickHouseClient): BatchInsert {
  const chdb = chdbOf(client);
  if (chdb) {
    return async (table, batch) => {
      await chdb.rawInsert({
        table,
        values: batch.body,
        format: 'JSONEachRow',
        settings: { insert_deduplication_token: batch.token },
      });
    };
  }
  return async (table, batch) => {
    const result = await client.exec({
      query: `INSERT INTO ${table} SETTINGS insert_deduplication_token = '${batch.token}' FORMAT JSONEachRow`,
      values: Readable.from([batch.body]),
    });
    result.stream.destroy();
  };
}

/** ClickHouse codes that say the rows themselves are bad, so sending them again cannot help. */
const MALFORMED = new Set([6, 26, 27, 38, 41, 53, 70, 72, 117, 131, 321]);

/** True for an error about the data (a parse error, a type mismatch), from either back-end. */
export function isMalformed(error: unknown): boolean {
  const e = error as { clickhouseCode?: unknown; code?: unknown; type?: unknown } | null;
  const code = Number(e?.clickhouseCode ?? (typeof e?.type === 'string' ? e?.code : undefined));
  return MALFORMED.has(code);
}
