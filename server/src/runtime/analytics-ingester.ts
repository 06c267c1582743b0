import type { RunEvent } from '@revo/actors';
import { type RedisClient, type RedisKeyOptions, connectWithin, keysUnder } from '../adapters/redis/redis-client';
import { ACK, CLAIM, GROUP, type RawEntry, asError, parseEntry, readReply } from './analytics-stream-wire';

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
 *
 * The group is made (MKSTREAM) before the first sweep or read, and made again after any failure:
 * a stream deleted under the ingesters (DEL, FLUSHALL) takes the group and its entries with it.
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

  /** Makes the group (with the stream, from its start) unless it is there; true when this call made it. */
  const ensureGroup = () =>
    client.xGroupCreate(stream, GROUP, '0', { MKSTREAM: true }).then(
      () => true,
      (error: unknown) => {
        if (asError(error).message.includes('BUSYGROUP')) return false;
        throw error;
      },
    );

  /** The blocking connection, on first use. */
  async function open(): Promise<RedisClient> {
    if (reader) return reader;
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
    // The group before any sweep or read, and again after any failure: deleting the stream deletes it.
    let grouped = false;
    let hadGroup = false;
    for (let failures = 0; !stopping; ) {
      try {
        if (!grouped) {
          if ((await ensureGroup()) && hadGroup)
            log(
              `analytics ingester ${consumer}: the group ${GROUP} of ${stream} was gone (stream deleted?): made it again`,
            );
          grouped = hadGroup = true;
        }
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
        grouped = false;
        failed(error, 'ingest');
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
