import { createHash } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { ClickHouseClient } from './clickhouse';
import { engineThreadNicer } from './engine-threads';

/** How a batch's bytes are laid out. */
export type BatchFormat = 'JSONEachRow' | 'TabSeparated';

/** One insert's worth of rows and the token that makes sending it again harmless. */
export interface Batch {
  token: string;
  rows: number;
  /** The rows' bytes, whole or in chunks (the encoder's), in order. */
  body: Buffer | readonly Buffer[];
  /** @default 'JSONEachRow' (what spill files written before formats were named hold) */
  format?: BatchFormat;
  /** TabSeparated only: the columns of each line, in order, as `name Type`. */
  columns?: readonly string[];
}

/** A batch's bytes as a list of chunks. */
export const bodyChunks = (batch: Batch): readonly Buffer[] =>
  Buffer.isBuffer(batch.body) ? [batch.body] : batch.body;

/** A batch's size in bytes. */
export const bodyBytes = (batch: Batch): number => bodyChunks(batch).reduce((sum, chunk) => sum + chunk.length, 0);

/** Writes chunks to a new file (libuv splits a long list into system calls). */
async function writeChunks(file: string, chunks: readonly Buffer[]): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writev([...chunks]);
  } finally {
    await handle.close();
  }
}

/** Inserts one batch into `table`, once however often it is called with the same token. */
export type BatchInsert = (table: string, batch: Batch) => Promise<void>;

export interface BatchInsertOptions {
  /**
   * Over chDB, a folder to stage TabSeparated batches in as files that the engine reads itself:
   * chDB walks the text of a statement byte by byte before it runs, so bytes carried inline
   * cost it about twice what the same bytes read from a file do. Without it, they go inline.
   */
  stagingDir?: string;
  /**
   * Over chDB on Linux, the nice value the engine's threads are given after each insert, so that
   * they yield a contended core to the event loop (see `engineThreadNicer`); 0 leaves them be.
   * @default 10
   */
  engineNice?: number;
}

/**
 * The deduplication token of a batch: from its table, size and first and last event ids (each
 * unique), so the same batch, retried or replayed by any process, carries the same token.
 */
export const batchToken = (table: string, rows: number, firstId: string, lastId: string): string =>
  createHash('sha256').update(`${table}\n${rows}\n${firstId}\n${lastId}`).digest('hex').slice(0, 32);

interface ChdbRawInsert {
  rawInsert(params: {
    table: string;
    columns?: string[];
    values: Buffer;
    format: BatchFormat;
    settings: Record<string, string>;
  }): Promise<unknown>;
}

/** chDB's own insert when the client runs over `chdb/connection` (kept in a private field of the client). */
function chdbOf(client: ClickHouseClient): ChdbRawInsert | undefined {
  const chdb = (client as unknown as { connection?: { chdb?: Partial<ChdbRawInsert> } }).connection?.chdb;
  return typeof chdb?.rawInsert === 'function' ? (chdb as ChdbRawInsert) : undefined;
}

const COLUMN = /^[A-Za-z_]\w* [A-Za-z]\w*(\(\d+\))?$/;
const TOKEN = /^[\w-]+$/;

/** A batch's format and column names, checked: a replayed spill file is read back into SQL. */
function shapeOf(batch: Batch): { format: BatchFormat; columns?: readonly string[]; names?: string[] } {
  if (!TOKEN.test(batch.token)) throw malformed(`not a batch token: ${JSON.stringify(batch.token)}`);
  const format = batch.format ?? 'JSONEachRow';
  if (format === 'JSONEachRow') return { format };
  if (format !== 'TabSeparated') throw malformed(`not a batch format: ${JSON.stringify(format)}`);
  const { columns } = batch;
  if (!columns?.length || !columns.every((c) => COLUMN.test(c))) {
    throw malformed(`not a column list: ${JSON.stringify(columns)}`);
  }
  return { format, columns, names: columns.map((c) => c.slice(0, c.indexOf(' '))) };
}

/**
 * Batch inserts through `client`. Over chDB, TabSeparated bytes go to a staging file the engine
 * reads (see `stagingDir`), other bytes to the engine as they are; over HTTP, as the request body.
 * Either way the token is a setting of the statement itself: given as `clickhouse_settings`,
 * chDB's connection would turn it into a session-wide `SET` that outlives the insert and
 * silently swallows later inserts into the table.
 */
export function batchInsert(client: ClickHouseClient, options: BatchInsertOptions = {}): BatchInsert {
  const chdb = chdbOf(client);
  const stagingDir = options.stagingDir === undefined ? undefined : resolve(options.stagingDir);
  let staged: Promise<unknown> | undefined;
  if (chdb) {
    const lowerEngine = engineThreadNicer(options.engineNice ?? 10);
    const insert: BatchInsert = async (table, batch) => {
      const { format, columns, names } = shapeOf(batch);
      const settings = { insert_deduplication_token: batch.token };
      if (stagingDir && columns && names) {
        const file = join(stagingDir, `${batch.token}.tsv`);
        staged ??= mkdir(stagingDir, { recursive: true });
        const written = await staged
          .then(() => writeChunks(file, bodyChunks(batch)))
          .then(
            () => true,
            () => false,
          );
        if (written) {
          try {
            const structure = columns.join(', ');
            await client.command({
              query:
                `INSERT INTO ${table} (${names.join(', ')}) SETTINGS insert_deduplication_token = '${batch.token}' ` +
                `SELECT * FROM file('${file.replace(/[\\']/g, '\\$&')}', TabSeparated, '${structure}')`,
            });
            return;
          } finally {
            await rm(file, { force: true });
          }
        }
        staged = undefined;
      }
      await chdb.rawInsert({ table, columns: names, values: Buffer.concat(bodyChunks(batch)), format, settings });
    };
    // Threads the engine started for an insert are found after it.
    return (table, batch) => insert(table, batch).finally(() => void lowerEngine());
  }
  return async (table, batch) => {
    const { format, names } = shapeOf(batch);
    const result = await client.exec({
      query:
        `INSERT INTO ${table}${names ? ` (${names.join(', ')})` : ''} ` +
        `SETTINGS insert_deduplication_token = '${batch.token}' FORMAT ${format}`,
      values: Readable.from(bodyChunks(batch)),
    });
    result.stream.destroy();
  };
}

/** An error the sink takes for bad rows: sending them again cannot help. */
const malformed = (message: string) => Object.assign(new Error(message), { clickhouseCode: 27 });

/** ClickHouse codes that say the rows themselves are bad, so sending them again cannot help. */
const MALFORMED = new Set([6, 26, 27, 38, 41, 53, 70, 72, 117, 131, 321]);

/** True for an error about the data (a parse error, a type mismatch), from either back-end. */
export function isMalformed(error: unknown): boolean {
  const e = error as { clickhouseCode?: unknown; code?: unknown; type?: unknown } | null;
  const code = Number(e?.clickhouseCode ?? (typeof e?.type === 'string' ? e?.code : undefined));
  return MALFORMED.has(code);
}
