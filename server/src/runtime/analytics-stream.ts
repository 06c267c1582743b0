import { type RunEvent, type RunEventType, isEphemeral } from '@revo/actors';
import { z } from 'zod';
import { type RedisClient, type RedisKeyOptions, connectWithin, keysUnder } from '../adapters/redis/redis-client';

/*
 * Run events from every replica to ClickHouse through one Redis stream. Keys, under the prefix:
 *   <prefix>analytics          stream; one entry per durable event, field `e` = the event as JSON.
 *                              Consumer group `ingesters`. Acked entries are deleted (XDEL), so the
 *                              stream holds only what is not yet ingested. Capped by XADD MAXLEN ~.
 *   <prefix>ingested:<runId>   hash, seq -> the stream id of the entry that claimed the event, or
 *                              `done` once that entry is acked; expires `markTtlSeconds` after the
 *                              run's last claim.
 */

const GROUP = 'ingesters';
const DONE = 'done';
const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

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

/** Every stored run event type; `satisfies` makes a new type in the union fail here until it is listed. */
const STORED = {
  'workflow.created': true,
  'workflow.planned': true,
  'workflow.predicted': true,
  'workflow.state.changed': true,
  'workflow.revised': true,
  'workflow.budget.exceeded': true,
  'workflow.awaiting.human': true,
  'workflow.completed': true,
  'workflow.failed': true,
  'workflow.cancelled': true,
  'step.started': true,
  'step.completed': true,
  'step.failed': true,
  'step.skipped': true,
  'agent.attempt.started': true,
  'agent.token': false,
  'agent.attempt.failed': true,
  'agent.model.fallback': true,
  'agent.completed': true,
  'agent.failed': true,
  'conflict.detected': true,
  'discussion.round.started': true,
  'discussion.round.completed': true,
  'discussion.voted': true,
  'discussion.resolved': true,
  'discussion.escalated': true,
  'conflict.decided': true,
  'message.added': true,
  'feedback.given': true,
} as const satisfies Record<RunEventType, boolean>;

/** What an entry must hold to be recorded: the envelope every row is keyed by, and a stored type. */
const StreamEvent = z.looseObject({
  runId: z.string().min(1),
  seq: z.number().int().nonnegative(),
  at: z.number().finite(),
  type: z.string().refine((type) => STORED[type as RunEventType] === true, 'not a stored run event type'),
});

/** The event in an entry's fields, or why there is none. */
function parseEntry(fields: string[]): RunEvent | string {
  let json: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'e') json = fields[i + 1];
  if (json === undefined) return 'no field `e`';
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return 'field `e` is not JSON';
  }
  const parsed = StreamEvent.safeParse(value);
  return parsed.success ? (parsed.data as unknown as RunEvent) : z.prettifyError(parsed.error).replace(/\n/g, ' ');
}

/** An entry as Redis returns it: id and flat field list, or null fields when it was deleted while pending. */
type RawEntry = [id: string, fields: string[] | null];

/** The entries of a one-stream XREADGROUP reply: a RESP3 map, or a RESP2 list of [name, entries]. */
function readReply(reply: unknown): RawEntry[] {
  if (reply == null || typeof reply !== 'object') return [];
  if (Array.isArray(reply)) return ((reply[0] as unknown[] | undefined)?.[1] ?? []) as RawEntry[];
  const values = reply instanceof Map ? [...reply.values()] : Object.values(reply);
  return (values[0] ?? []) as RawEntry[];
}

/**
 * Claims each (runId, seq) for one entry. KEYS: the stream, then each entry's mark key; ARGV: the
 * mark ttl, then seq and entry id per entry. 1 (record it) when unclaimed, claimed by this very
 * entry (redelivered: never acked, so maybe never written), or claimed by an entry that vanished
 * unacked (trimmed away); 0 (duplicate) when its claimer is acked (`done`) or still in the stream,
 * where whoever holds it will record it.
 */
const CLAIM = `local out = {}
for i = 2, #KEYS do
  local seq, id = ARGV[2 * i - 2], ARGV[2 * i - 1]
  local mark = redis.call('HGET', KEYS[i], seq)
  local new = not mark or mark == id or (mark ~= '${DONE}' and #redis.call('XRANGE', KEYS[1], mark, mark) == 0)
  if new then
    redis.call('HSET', KEYS[i], seq, id)
    redis.call('EXPIRE', KEYS[i], ARGV[1])
  end
  out[#out + 1] = new and 1 or 0
end
return out`;

/**
 * Acks and deletes a batch's entries and marks what they recorded `done`, atomically. KEYS: the
 * stream, then the mark key per recorded event; ARGV: the group, the number n of entry ids, the
 * ids, then seq and entry id per recorded event.
 */
const ACK = `local n = tonumber(ARGV[2])
for i = 3, n + 2 do
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
  redis.call('XDEL', KEYS[1], ARGV[i])
end
for i = 2, #KEYS do
  if redis.call('HGET', KEYS[i], ARGV[n + 2 * i - 1]) == ARGV[n + 2 * i] then
    redis.call('HSET', KEYS[i], ARGV[n + 2 * i - 1], '${DONE}')
  end
end
return n`;

/** Where an ingester puts events: the analytics service (`record`, and its sink's `flush`), or a fake. */
export interface AnalyticsRecorder {
  record(event: RunEvent): void;
  /** Resolves once everything recorded is written or safely spilled. */
  flush(): Promise<void>;
}

export interface IngesterOptions extends RedisKeyOptions {
  /** This ingester's name in the group; keep it across restarts of the same process (a pod name). */
  consumer: string;
  /** Entries per read. @default 500 */
  batch?: number;
  /** How long a read waits for new entries (`stop()` interrupts it; `idle()` may notice this late). @default 2000 */
  blockMs?: number;
  /** Entries pending this long with another consumer are taken over: it is taken for dead. @default 30_000 */
  reclaimMs?: number;
  /** How long a run's marks live after its last new event. @default 259_200 (3 days) */
  markTtlSeconds?: number;
  /** @default 5000 */
  connectTimeoutMs?: number;
  /** @default no logging */
  log?: (line: string) => void;
}

export interface IngesterStats {
  /** Entries taken from the stream, by reads and by reclaims. */
  read: number;
  /** Events recorded and flushed. */
  recorded: number;
  /** Entries whose (runId, seq) another entry holds: a re-publish after takeover, or a retried write. */
  duplicates: number;
  /** Entries that hold no stored run event, dropped. */
  malformed: number;
  /** Pending entries gone from the stream before they were ingested (trimmed by MAXLEN). */
  vanished: number;
  acked: number;
  /** Entries taken over from consumers taken for dead. */
  reclaimed: number;
  batches: number;
  failures: number;
  lastError?: string;
}

export interface Ingester {
  /** Finishes the batch in hand (flush and ack), then closes the reading connection. */
  stop(): Promise<void>;
  stats(): IngesterStats;
  /** Resolves once the stream holds nothing pending or new (every entry is acked); rejects on `stop()`. */
  idle(): Promise<void>;
}

/**
 * Takes run events from `<prefix>analytics` into ClickHouse as one consumer of the group `ingesters`,
 * one batch at a time: read; drop what is malformed; CLAIM the (runId, seq) pairs (in Redis, so
 * every ingester shares them); record the new events in stream order; flush the recorder; ACK.
 *
 * No loss: an entry leaves the stream only in ACK, after the flush that made its event durable
 * (inserted, or spilled to disk and replayed later). Until then it stays pending, and comes back:
 * to this consumer on restart (its pending entries are read first), or to another once it has been
 * idle `reclaimMs` (XPENDING, then XCLAIM of that consumer's entries). A claim names the entry
 * that made it, so a redelivered entry is still recorded: dying between claim and ack loses nothing.
 * A claim held by an entry that vanished unacked (trimmed) is taken over by the next copy.
 *
 * No duplicates: CLAIM is atomic and each (runId, seq) is claimed by one entry, so copies (a run
 * re-published after takeover, a write retried after a lost reply) are dropped, however many
 * ingesters read them; the first copy wins. One window is left: dying after the flush wrote and
 * before the ack, the batch is recorded again. The sink then writes the same events in the same
 * order as one insert with the same deduplication token, and ClickHouse drops it. That is why a
 * dead consumer's entries are claimed together (XAUTOCLAIM would mix consumers' batches), and it
 * holds while the recorder's sink sees only this ingester's events and encodes a batch within its
 * flush interval; otherwise that window can write a batch twice (at least once, never lost).
 */
export function startIngester(client: RedisClient, recorder: AnalyticsRecorder, options: IngesterOptions): Ingester {
  const key = keysUnder(options.prefix);
  const stream = key('analytics');
  const markKey = (runId: string) => key('ingested', runId);
  const { consumer } = options;
  const batch = options.batch ?? 500;
  const blockMs = options.blockMs ?? 2000;
  const reclaimMs = options.reclaimMs ?? 30_000;
  const ttl = String(options.markTtlSeconds ?? 259_200);
  const log = options.log ?? (() => {});
  const stats: Omit<IngesterStats, 'lastError'> = {
    read: 0,
    recorded: 0,
    duplicates: 0,
    malformed: 0,
    vanished: 0,
    acked: 0,
    reclaimed: 0,
    batches: 0,
    failures: 0,
  };
  let lastError: string | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;
  let idleWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let reader: RedisClient | undefined;
  let readerId: number | undefined;
  let reading = false;

  const ensureGroup = () =>
    client.xGroupCreate(stream, GROUP, '0', { MKSTREAM: true }).catch((error: unknown) => {
      if (!asError(error).message.includes('BUSYGROUP')) throw error;
    });

  /** The group (made with the stream, from its start) and the blocking connection, on first use. */
  async function open(): Promise<RedisClient> {
    if (reader) return reader;
    await ensureGroup();
    const connection = client.duplicate();
    // It reconnects by itself; the loop reports failed reads.
    connection.on('error', () => {});
    await connectWithin(connection, 'the analytics ingester connection', options.connectTimeoutMs ?? 5_000);
    // Its id changes with each reconnect; `stop()` unblocks a read by it.
    connection.on('ready', () => {
      connection.clientId().then(
        (id) => {
          readerId = id;
        },
        () => {},
      );
    });
    readerId = await connection.clientId();
    reader = connection;
    return connection;
  }

  const failed = (error: unknown, during: string) => {
    stats.failures += 1;
    lastError = `${during}: ${asError(error).message}`;
    log(`analytics ingester ${consumer}: ${lastError}`);
  };
  /** Waits before a retry; `stop()` cuts it short. */
  const pause = (attempt: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function read(from: '0' | '>'): Promise<RawEntry[]> {
    const connection = await open();
    if (stopping) return [];
    const block = from === '>' ? ['BLOCK', String(blockMs)] : [];
    const args = ['XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', String(batch), ...block, 'STREAMS', stream, from];
    reading = from === '>';
    try {
      return readReply(await connection.sendCommand(args));
    } finally {
      reading = false;
    }
  }

  async function ingest(entries: RawEntry[]) {
    stats.read += entries.length;
    stats.batches += 1;
    const events: { id: string; event: RunEvent }[] = [];
    for (const [id, fields] of entries) {
      const event = fields ? parseEntry(fields) : 'gone from the stream (trimmed)';
      if (typeof event !== 'string') events.push({ id, event });
      else {
        stats[fields ? 'malformed' : 'vanished'] += 1;
        log(`analytics ingester ${consumer}: dropped entry ${id}: ${event}`);
      }
    }
    const flags = events.length
      ? ((await client.eval(CLAIM, {
          keys: [stream, ...events.map((e) => markKey(e.event.runId))],
          arguments: [ttl, ...events.flatMap((e) => [String(e.event.seq), e.id])],
        })) as number[])
      : [];
    const fresh = events.filter((_, i) => flags[i] === 1);
    stats.duplicates += events.length - fresh.length;
    for (const { event } of fresh) recorder.record(event);
    if (fresh.length > 0) await recorder.flush();
    stats.recorded += fresh.length;
    const ids = entries.map(([id]) => id);
    const keys = [stream, ...fresh.map((e) => markKey(e.event.runId))];
    const args = [GROUP, String(ids.length), ...ids, ...fresh.flatMap((e) => [String(e.event.seq), e.id])];
    for (let attempt = 0; ; attempt++) {
      try {
        await client.eval(ACK, { keys, arguments: args });
        stats.acked += ids.length;
        return;
      } catch (error) {
        failed(error, 'ack');
        // Given up only when stopping: the entries stay pending, for a restart or another ingester.
        if (stopping && attempt >= 2) throw error;
        await pause(attempt);
      }
    }
  }

  /** Takes over the entries of consumers idle `reclaimMs`, each consumer's together (its one batch). */
  async function reclaim() {
    const pending = await client.xPendingRange(stream, GROUP, '-', '+', batch * 10, { IDLE: reclaimMs });
    const byConsumer = new Map<string, string[]>();
    for (const p of pending)
      if (p.consumer !== consumer) byConsumer.set(p.consumer, [...(byConsumer.get(p.consumer) ?? []), p.id]);
    for (const [from, ids] of byConsumer) {
      if (stopping) return;
      const reply = await client.sendCommand(['XCLAIM', stream, GROUP, consumer, String(reclaimMs), ...ids]);
      const claimed = ((reply ?? []) as unknown as (RawEntry | null)[]).filter((e): e is RawEntry => e !== null);
      if (claimed.length === 0) continue;
      stats.reclaimed += claimed.length;
      log(`analytics ingester ${consumer}: took over ${claimed.length} entries from ${from}`);
      await ingest(claimed);
    }
  }

  async function checkIdle() {
    if (idleWaiters.length === 0 || (await client.xLen(stream)) > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w.resolve();
  }

  async function run() {
    // This consumer's own pending entries first: left by a previous life under its name, or a failed batch.
    let own = true;
    let nextReclaim = 0;
    for (let failures = 0; !stopping; ) {
      try {
        if (Date.now() >= nextReclaim) {
          await reclaim();
          nextReclaim = Date.now() + reclaimMs / 2;
        }
        const entries = await read(own ? '0' : '>');
        if (entries.length > 0) await ingest(entries);
        else own = false;
        await checkIdle();
        failures = 0;
      } catch (error) {
        own = true;
        failed(error, 'ingest');
        if (asError(error).message.includes('NOGROUP')) await ensureGroup().catch(() => {});
        if (!stopping) await pause(failures++);
      }
    }
  }
  const running = run();

  return {
    async stop() {
      if (!stopping) {
        stopping = true;
        wake?.();
        // An unblocked read returns at once, empty. 0: the read is not blocked yet (still on its way) or done.
        for (let tries = 0; reading && readerId !== undefined && tries < 100; tries++) {
          if ((await client.clientUnblock(readerId, 'TIMEOUT').catch(() => -1)) !== 0) break;
        }
      }
      await running;
      if (reader?.isOpen) reader.destroy();
      for (const w of idleWaiters.splice(0)) w.reject(new Error(`the ingester ${consumer} stopped`));
    },
    stats: () => ({ ...stats, lastError }),
    idle() {
      if (stopping) return Promise.reject(new Error(`the ingester ${consumer} is stopped`));
      const waiting = new Promise<void>((resolve, reject) => idleWaiters.push({ resolve, reject }));
      void checkIdle().catch(() => {});
      return waiting;
    },
  };
}
