import type { RunEvent } from '@revo/actors';
import { type Batch, batchToken } from './batch-insert';
import { type EventRow, type RowContext, eventRows } from './event-row';

/**
 * The columns of a TabSeparated line, as the staged file is read (`name Type`): every column of
 * `run_events`, small vocabularies read as String and converted by the insert.
 */
export const TSV_COLUMNS = [
  'event_id String',
  'run_id String',
  'conversation_id String',
  'seq UInt32',
  'type String',
  'at DateTime64(3)',
  'step_id String',
  'agent String',
  'model String',
  'provider String',
  'local UInt8',
  'tokens_in UInt32',
  'tokens_out UInt32',
  'cost_usd Float64',
  'latency_ms Float64',
  'outcome String',
  'confidence Float32',
  'position String',
  'conflict_id String',
  'round UInt16',
  'rating String',
  'comment String',
  'mode String',
  'task_category String',
  'capability String',
  'payload String',
] as const;

const ESCAPED = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const text = (s: string) => (ESCAPED.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] as string) : s);
/** A number as ClickHouse reads it; what JSON would write as null (NaN, infinities) becomes 0. */
const num = (n: number) => (Number.isFinite(n) ? String(n) : '0');
/** Milliseconds as Unix seconds with three decimals, which DateTime64(3) reads in any time zone. */
const seconds = (at: number) => {
  const ms = Math.round(at);
  const whole = Math.floor(ms / 1000);
  return `${whole}.${String(ms - whole * 1000).padStart(3, '0')}`;
};

/** One row as a line of TabSeparated, in the order of `TSV_COLUMNS` (no newline). */
export const tsvLine = (r: EventRow): string =>
  `${text(r.event_id)}\t${text(r.run_id)}\t${text(r.conversation_id)}\t${num(r.seq)}\t${text(r.type)}\t` +
  `${seconds(r.at)}\t${text(r.step_id)}\t${text(r.agent)}\t${text(r.model)}\t${text(r.provider)}\t` +
  `${num(r.local)}\t${num(r.tokens_in)}\t${num(r.tokens_out)}\t${num(r.cost_usd)}\t${num(r.latency_ms)}\t` +
  `${text(r.outcome)}\t${num(r.confidence)}\t${text(r.position)}\t${text(r.conflict_id)}\t${num(r.round)}\t` +
  `${text(r.rating)}\t${text(r.comment)}\t${text(r.mode)}\t${text(r.task_category)}\t${text(r.capability)}\t` +
  text(r.payload);

/** A sealed batch; `backing` holds the pooled chunks its body lies in, given back with `release`. */
export type EncodedBatch = Batch & { backing?: Buffer[] };

/**
 * A batch's bytes are written into chunks of this size, taken from a pool: a batch never grows by
 * copying (a 16 MiB copy into fresh memory held the event loop for 50 ms), and chunks of sent
 * batches are reused, since writing to fresh memory costs a page fault per 4 KiB.
 */
const CHUNK_BYTES = 1 << 20;
/** At most this many chunks (MiB) wait in the pool, however large a batch once was. */
const MAX_POOLED = 128;

export interface BatchEncoderOptions {
  /** The table the batches are for (part of their tokens). */
  table: string;
  /** A batch is sealed once it holds this many rows... */
  maxBatchRows: number;
  /** ...or once its first row is this old. */
  flushIntervalMs: number;
  /** Longest stretch of encoding before yielding to the event loop. */
  sliceMs: number;
  context?: RowContext;
  onBatch: (batch: EncodedBatch) => void;
  onError: (error: unknown) => void;
}

/**
 * Turns run events into TabSeparated batches off the caller's path: `push` only queues; the rows
 * are made and serialised later, in slices of at most `sliceMs` between turns of the event loop.
 */
export interface BatchEncoder {
  push(event: RunEvent): void;
  /** Resolves once every event pushed so far is encoded. */
  encoded(): Promise<void>;
  /** Seals the batch being filled, however small. */
  seal(): void;
  /** Takes back a batch's chunks once nothing reads them any more (its insert or write settled). */
  release(backing: readonly Buffer[] | undefined): void;
  /** Events waiting to be encoded, and rows in the batch being filled. */
  backlog(): { events: number; rows: number };
}

export function createBatchEncoder(options: BatchEncoderOptions): BatchEncoder {
  const { table, maxBatchRows, flushIntervalMs, sliceMs } = options;
  let incoming: RunEvent[] = [];
  let encoding: RunEvent[] = [];
  let encodingAt = 0;
  let scheduled = false;
  let idleWaiters: (() => void)[] = [];
  /** The batch being filled: its bytes live off the V8 heap, so collections need not copy them. */
  let open:
    | { chunks: Buffer[]; bytes: Buffer; length: number; rows: number; firstId: string; lastId: string }
    | undefined;
  let openTimer: NodeJS.Timeout | undefined;
  /** Chunks of sent batches, up to twice the most a batch has used. */
  const pool: Buffer[] = [];
  let poolLimit = 8;

  const chunk = () => pool.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    setImmediate(slice);
  }

  function slice() {
    scheduled = false;
    const deadline = performance.now() + sliceMs;
    for (let n = 1; ; n++) {
      if (encodingAt >= encoding.length) {
        if (incoming.length === 0) break;
        encoding = incoming;
        encodingAt = 0;
        incoming = [];
      }
      encode(encoding[encodingAt++] as RunEvent);
      if ((n & 31) === 0 && performance.now() > deadline) break;
    }
    if (encodingAt < encoding.length || incoming.length > 0) return schedule();
    encoding = [];
    encodingAt = 0;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function encode(event: RunEvent) {
    let rows: ReturnType<typeof eventRows>;
    try {
      rows = eventRows(event, options.context);
    } catch (error) {
      return options.onError(error);
    }
    for (const row of rows) {
      if (!open) {
        const bytes = chunk();
        open = { chunks: [], bytes, length: 0, rows: 0, firstId: row.event_id, lastId: row.event_id };
        openTimer = setTimeout(seal, flushIntervalMs);
      }
      const line = tsvLine(row);
      // At most three bytes per UTF-16 unit, and the newline.
      const needed = line.length * 3 + 1;
      if (open.length + needed > open.bytes.length) {
        if (open.length > 0) open.chunks.push(open.bytes.subarray(0, open.length));
        else release([open.bytes]);
        open.bytes = needed > CHUNK_BYTES ? Buffer.allocUnsafeSlow(needed) : chunk();
        open.length = 0;
      }
      open.length += open.bytes.write(line, open.length);
      open.bytes[open.length++] = 10;
      open.rows += 1;
      open.lastId = row.event_id;
      if (open.rows >= maxBatchRows) seal();
    }
  }

  function seal() {
    clearTimeout(openTimer);
    openTimer = undefined;
    if (!open) return;
    const { chunks, bytes, length, rows, firstId, lastId } = open;
    open = undefined;
    if (length > 0) chunks.push(bytes.subarray(0, length));
    poolLimit = Math.min(MAX_POOLED, Math.max(poolLimit, 2 * chunks.length));
    options.onBatch({
      token: batchToken(table, rows, firstId, lastId),
      rows,
      body: chunks,
      format: 'TabSeparated',
      columns: TSV_COLUMNS,
      backing: chunks,
    });
  }

  function release(backing: readonly Buffer[] | undefined) {
    for (const view of backing ?? []) {
      // A view's own bytes start its chunk; the chunk is the whole of its array buffer.
      if (view.buffer.byteLength !== CHUNK_BYTES || view.byteOffset !== 0 || pool.length >= poolLimit) continue;
      pool.push(Buffer.from(view.buffer, 0, CHUNK_BYTES));
    }
  }

  return {
    push(event) {
      incoming.push(event);
      schedule();
    },
    encoded: () =>
      scheduled || encodingAt < encoding.length || incoming.length > 0
        ? new Promise<void>((resolve) => idleWaiters.push(resolve))
        : Promise.resolve(),
    seal,
    release,
    backlog: () => ({ events: incoming.length + encoding.length - encodingAt, rows: open?.rows ?? 0 }),
  };
}
