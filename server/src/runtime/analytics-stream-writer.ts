import { type RunEvent, isEphemeral } from '@revo/actors';
import { type RedisClient, type RedisKeyOptions, keysUnder } from '../adapters/redis/redis-client';
import { asError } from './analytics-stream-wire';

export interface AnalyticsStreamWriterOptions extends RedisKeyOptions {
  /** Approximate cap on the stream (XADD MAXLEN ~); beyond it the oldest entries go, ingested or not. @default 500_000 */
  maxLen?: number;
  /** Events held in memory while Redis cannot take them; beyond it the oldest are dropped and reported. @default 100_000 */
  maxBuffered?: number;
  /** Most entries sent in one round trip. @default 1000 */
  maxPerWrite?: number;
  /** Delay before retrying a failed write; doubles per failure. @default 100 */
  retryDelayMs?: number;
  /** @default 5000 */
  maxRetryDelayMs?: number;
  /** Hears failed writes and dropped events; `append` never throws. @default console.warn */
  onError?: (error: Error) => void;
}

/** Appends run events to `<prefix>analytics` off the caller's path, for the ingesters to take into ClickHouse. */
export interface AnalyticsStreamWriter {
  /** Queues a durable event (token deltas are skipped) and returns at once. */
  append(event: RunEvent): void;
  /** Resolves once every event appended so far is in the stream (or was dropped, and reported). */
  flush(): Promise<void>;
  /** Takes no more events and flushes; waits as long as Redis stays away (bound it if you must). */
  close(): Promise<void>;
  stats(): AnalyticsStreamWriterStats;
}

export interface AnalyticsStreamWriterStats {
  /** Durable events appended, and token deltas skipped. */
  appended: number;
  skipped: number;
  /** Events in the stream, and events dropped (buffer full, writer closed, not serialisable). */
  written: number;
  dropped: number;
  /** Events waiting for Redis. */
  buffered: number;
  /** Round trips tried, and those that failed. */
  writes: number;
  failures: number;
  lastError?: string;
}

/**
 * Everything appended within one tick goes out as one MULTI of XADDs; one write is in flight at a
 * time, so entries keep append order. A failed write is retried with backoff while newer events
 * queue behind it. A write whose reply was lost may land twice: the ingester drops the copy.
 */
export function createAnalyticsStreamWriter(
  client: RedisClient,
  options: AnalyticsStreamWriterOptions = {},
): AnalyticsStreamWriter {
  const stream = keysUnder(options.prefix)('analytics');
  const trim = { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: options.maxLen ?? 500_000 } } as const;
  const maxBuffered = options.maxBuffered ?? 100_000;
  const maxPerWrite = Math.min(options.maxPerWrite ?? 1000, maxBuffered);
  const retryDelayMs = options.retryDelayMs ?? 100;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 5000;
  const onError = options.onError ?? ((error: Error) => console.warn(`analytics stream: ${error.message}`));
  const counters = { appended: 0, skipped: 0, written: 0, dropped: 0, writes: 0, failures: 0 };
  let lastError: string | undefined;
  // Events carry positions 0, 1, 2, ...: `sending` holds [sendingFrom, +length), `queue[head..]` [queuedFrom, ...).
  let sending: string[] = [];
  let sendingFrom = 0;
  let queue: string[] = [];
  let head = 0;
  let queuedFrom = 0;
  let unreportedDrops = 0;
  let dropReport: NodeJS.Timeout | undefined;
  let delay = retryDelayMs;
  let timer: NodeJS.Timeout | undefined;
  let scheduled = false;
  let closed = false;
  let waiters: { upTo: number; resolve: () => void }[] = [];

  const queued = () => queue.length - head;
  const oldestBuffered = () => (sending.length > 0 ? sendingFrom : queuedFrom);
  const report = (error: Error) => {
    lastError = error.message;
    onError(error);
  };

  function settle() {
    const oldest = oldestBuffered();
    for (const w of waiters) if (w.upTo <= oldest) w.resolve();
    waiters = waiters.filter((w) => w.upTo > oldest);
  }

  /** One report a second at most while events are being dropped (the write may hang until Redis is back). */
  function reportDrops() {
    dropReport = undefined;
    report(new Error(`dropped the ${unreportedDrops} oldest events: more than ${maxBuffered} waited for Redis`));
    unreportedDrops = 0;
  }

  /** Lets go of what was sent or dropped, now and then (shifting one at a time would be quadratic). */
  function compact() {
    if (head <= 4096 || head * 2 <= queue.length) return;
    queue = queue.slice(head);
    head = 0;
  }

  function schedule(ms = 0) {
    if (scheduled || sending.length + queued() === 0) return;
    scheduled = true;
    if (ms > 0) timer = setTimeout(write, ms);
    else setImmediate(write);
  }

  async function write() {
    if (sending.length === 0) {
      sendingFrom = queuedFrom;
      sending = queue.slice(head, head + maxPerWrite);
      head += sending.length;
      queuedFrom += sending.length;
      compact();
    }
    let failed = false;
    try {
      const multi = client.multi();
      for (const json of sending) multi.xAdd(stream, '*', { e: json }, trim);
      counters.writes += 1;
      await multi.exec();
      counters.written += sending.length;
      sending = [];
      delay = retryDelayMs;
    } catch (error) {
      failed = true;
      counters.failures += 1;
      report(new Error(`writing ${sending.length} events to ${stream} failed: ${asError(error).message}`));
    }
    scheduled = false;
    settle();
    if (failed) {
      schedule(delay);
      delay = Math.min(maxRetryDelayMs, delay * 2);
    } else schedule();
  }

  function flush(): Promise<void> {
    const upTo = queuedFrom + queued();
    if (oldestBuffered() >= upTo) return Promise.resolve();
    return new Promise<void>((resolve) => waiters.push({ upTo, resolve }));
  }

  return {
    append(event) {
      if (isEphemeral(event)) {
        counters.skipped += 1;
        return;
      }
      counters.appended += 1;
      if (closed) {
        counters.dropped += 1;
        report(new Error(`the writer is closed: dropped ${event.type} of ${event.runId}`));
        return;
      }
      try {
        queue.push(JSON.stringify(event));
      } catch (error) {
        counters.dropped += 1;
        report(new Error(`cannot write ${event.type} of ${event.runId}: ${asError(error).message}`));
        return;
      }
      if (sending.length + queued() > maxBuffered) {
        head += 1;
        queuedFrom += 1;
        counters.dropped += 1;
        unreportedDrops += 1;
        dropReport ??= setTimeout(reportDrops, 1000).unref();
        compact();
      }
      schedule();
    },
    flush,
    async close() {
      closed = true;
      await flush();
      clearTimeout(timer);
      if (dropReport) {
        clearTimeout(dropReport);
        reportDrops();
      }
    },
    stats: () => ({ ...counters, buffered: sending.length + queued(), lastError }),
  };
}
