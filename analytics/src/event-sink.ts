import { join } from 'node:path';
import type { RunEvent } from '@revo/actors';
import { type EncodedBatch, createBatchEncoder } from './batch-encoder';
import { type Batch, type BatchInsert, batchInsert, isMalformed } from './batch-insert';
import type { ClickHouseClient } from './clickhouse';
import type { RowContext } from './event-row';
import { createSpillFile } from './spill-file';

export type SinkOperation = 'encode' | 'insert' | 'replay' | 'spill' | 'reject';

export interface EventSinkOptions {
  /** Where batches wait, as JSONL segments, while ClickHouse cannot take them (and, over chDB, are staged for it). */
  spillDir: string;
  /** @default 'run_events' */
  table?: string;
  /**
   * A batch is sent once it holds this many rows... Under load the interval below seals batches
   * first; fewer, larger inserts cost ClickHouse less per row (each makes a part, files on disk
   * and later merges). @default 50_000
   */
  maxBatchRows?: number;
  /** ...or once its first row is this old. @default 250 */
  flushIntervalMs?: number;
  /** Rows waiting in memory for an insert beyond which new batches go straight to the spill file. @default 100_000 */
  maxBufferedRows?: number;
  /** Insert attempts per batch before it is spilled. @default 5 */
  maxAttempts?: number;
  /** Delay before the first retry; it doubles with each attempt. @default 100 */
  retryDelayMs?: number;
  /** @default 2000 */
  maxRetryDelayMs?: number;
  /** How often spilled batches are tried again while ClickHouse is away. @default 5000 */
  replayIntervalMs?: number;
  /** Longest stretch of encoding (events to rows) before the sink yields to the event loop. @default 2 */
  sliceMs?: number;
  /** How events become rows (task categories). */
  context?: RowContext;
  /** How a batch reaches ClickHouse (tests wrap it to fail). @default batchInsert(client, { stagingDir: <spillDir>/staging }) */
  insert?: BatchInsert;
  /** Told of every failure, failed attempts included; the sink never throws them at its callers. */
  onError?: (error: Error, during: SinkOperation) => void;
}

export interface EventSinkStats {
  eventsPushed: number;
  /** Rows and batches ClickHouse acknowledged (replays included; a deduplicated replay counts too). */
  rowsWritten: number;
  batchesWritten: number;
  /** Insert attempts that failed and were tried again. */
  retries: number;
  /** Batches (and their rows) spilled to disk since the start. */
  spilledBatches: number;
  spilledRows: number;
  replayedBatches: number;
  /** Batches on disk, waiting to be replayed (those of earlier runs included). */
  pendingSpilledBatches: number;
  pendingSpilledRows: number;
  /** Events pushed and not yet turned into rows (the encoder's backlog). */
  queuedEvents: number;
  /** Rows in memory: encoded, not yet acknowledged or spilled. */
  bufferedRows: number;
  /** Batches ClickHouse refused as malformed, set aside under `<spillDir>/rejected/`. */
  rejectedBatches: number;
  /** Rows that could be neither inserted nor spilled (the disk failed too). */
  droppedRows: number;
  /** True from a batch running out of attempts until the next insert succeeds. */
  unavailable: boolean;
  lastError?: string;
}

/** Run events into ClickHouse off the caller's path: batched, retried, spilled to disk and replayed. */
export interface EventSink {
  /** Queues an event and returns at once; the work happens later, in slices. */
  push(event: RunEvent): void;
  /** Resolves once everything pushed so far is inserted or spilled, after one replay attempt. */
  flush(): Promise<void>;
  /** Flushes and stops the timers; the client stays open (it is the caller's). */
  close(): Promise<void>;
  stats(): EventSinkStats;
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Batches run events by size and time and inserts them one batch at a time, in order, as
 * TabSeparated with a deduplication token per batch. A batch that keeps failing goes to a spill
 * file, as does every batch after it until ClickHouse answers again; spilled batches are replayed
 * (on start, periodically, and after inserts succeed) with their original tokens, so a batch
 * written before a crash or a lost acknowledgement is not written twice.
 */
export function createEventSink(client: ClickHouseClient, options: EventSinkOptions): EventSink {
  const table = options.table ?? 'run_events';
  if (!/^[A-Za-z_][\w.]*$/.test(table)) throw new Error(`not a table name: ${JSON.stringify(table)}`);
  const maxBufferedRows = options.maxBufferedRows ?? 100_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 100;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 2000;
  const replayIntervalMs = options.replayIntervalMs ?? 5000;
  const insert = options.insert ?? batchInsert(client, { stagingDir: join(options.spillDir, 'staging') });
  const spill = createSpillFile({ dir: options.spillDir });
  const counters = {
    eventsPushed: 0,
    rowsWritten: 0,
    batchesWritten: 0,
    retries: 0,
    spilledBatches: 0,
    spilledRows: 0,
    replayedBatches: 0,
    rejectedBatches: 0,
    droppedRows: 0,
  };
  let lastError: string | undefined;
  let closed = false;

  const report = (error: unknown, during: SinkOperation) => {
    const e = asError(error);
    lastError = `${during}: ${e.message}`;
    options.onError?.(e, during);
  };
  const opened = spill.open().catch((error: unknown) => report(error, 'spill'));

  // Sending: sealed batches wait in `queue` for the one insert lane.
  const queue: EncodedBatch[] = [];
  let queuedRows = 0;
  let sendingRows = 0;
  let unavailable = false;
  let replayBlockedUntil = 0;
  let lane: Promise<void> | undefined;
  const spilling = new Set<Promise<void>>();

  const encoder = createBatchEncoder({
    table,
    maxBatchRows: options.maxBatchRows ?? 50_000,
    flushIntervalMs: options.flushIntervalMs ?? 250,
    sliceMs: options.sliceMs ?? 2,
    context: options.context,
    onBatch: (batch) => {
      if (unavailable || queuedRows + sendingRows + batch.rows > maxBufferedRows) return toSpill(batch);
      queue.push(batch);
      queuedRows += batch.rows;
      void kick();
    },
    onError: (error) => report(error, 'encode'),
  });

  function toSpill(batch: EncodedBatch) {
    const done = spill
      .append(batch)
      .then(
        () => {
          counters.spilledBatches += 1;
          counters.spilledRows += batch.rows;
        },
        (error: unknown) => {
          counters.droppedRows += batch.rows;
          report(error, 'spill');
        },
      )
      .finally(() => {
        spilling.delete(done);
        encoder.release(batch.backing);
      });
    spilling.add(done);
  }

  /** Inserts with retries; 'sent', or why not. */
  async function send(batch: Batch, attempts: number, during: SinkOperation) {
    for (let attempt = 1; ; attempt++) {
      try {
        await insert(table, batch);
        unavailable = false;
        replayBlockedUntil = 0;
        counters.rowsWritten += batch.rows;
        counters.batchesWritten += 1;
        return 'sent';
      } catch (error) {
        report(error, during);
        if (isMalformed(error)) return 'malformed';
        if (attempt >= attempts) return 'failed';
        counters.retries += 1;
        await sleep(Math.min(maxRetryDelayMs, retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  async function setAside(batch: Batch) {
    counters.rejectedBatches += 1;
    await spill.reject(batch).catch((error: unknown) => {
      counters.droppedRows += batch.rows;
      report(error, 'spill');
    });
  }

  /** Replays the oldest spilled batch; false when it could not be (the lane then moves on). */
  async function replayOne(): Promise<boolean> {
    try {
      const batch = await spill.peek();
      if (!batch) return true;
      const outcome = await send(batch, unavailable ? 1 : maxAttempts, 'replay');
      if (outcome === 'failed') {
        unavailable = true;
        replayBlockedUntil = Date.now() + replayIntervalMs;
        await spill.checkpoint();
        return false;
      }
      if (outcome === 'malformed') await setAside(batch);
      else counters.replayedBatches += 1;
      await spill.drop();
      return true;
    } catch (error) {
      report(error, 'spill');
      replayBlockedUntil = Date.now() + replayIntervalMs;
      return false;
    }
  }

  async function run() {
    await opened;
    for (;;) {
      if (spill.pending().batches > 0 && Date.now() >= replayBlockedUntil && (await replayOne())) continue;
      const batch = queue.shift();
      if (!batch) return;
      queuedRows -= batch.rows;
      if (unavailable) {
        toSpill(batch);
        continue;
      }
      sendingRows = batch.rows;
      const outcome = await send(batch, maxAttempts, 'insert');
      sendingRows = 0;
      if (outcome === 'malformed') await setAside(batch);
      if (outcome !== 'failed') {
        encoder.release(batch.backing);
        continue;
      }
      unavailable = true;
      replayBlockedUntil = Date.now() + replayIntervalMs;
      toSpill(batch);
    }
  }

  function kick(): Promise<void> {
    lane ??= run()
      .catch((error: unknown) => report(error, 'insert'))
      .finally(() => {
        lane = undefined;
        if (queue.length > 0) void kick();
      });
    return lane;
  }

  const replayTimer = setInterval(() => {
    if (spill.pending().batches > 0) void kick();
  }, replayIntervalMs);
  replayTimer.unref();
  void kick();

  async function flush() {
    await encoder.encoded();
    encoder.seal();
    replayBlockedUntil = 0;
    for (;;) {
      await Promise.all(spilling);
      await kick();
      if (spilling.size > 0) continue;
      if (spill.pending().batches === 0 || Date.now() < replayBlockedUntil) return;
    }
  }

  return {
    push(event) {
      if (closed) throw new Error('the event sink is closed');
      counters.eventsPushed += 1;
      encoder.push(event);
    },
    flush,
    async close() {
      if (closed) return;
      closed = true;
      await flush();
      clearInterval(replayTimer);
      await spill.checkpoint().catch((error: unknown) => report(error, 'spill'));
    },
    stats() {
      const pending = spill.pending();
      const backlog = encoder.backlog();
      return {
        ...counters,
        pendingSpilledBatches: pending.batches,
        pendingSpilledRows: pending.rows,
        queuedEvents: backlog.events,
        bufferedRows: queuedRows + sendingRows + backlog.rows,
        unavailable,
        lastError,
      };
    },
  };
}
