import { type ModelPort, TransientModelError, callKeyString } from '@revo/actors';
import type { ConcurrencyGate } from '../../runtime/concurrency';
import type { RedisClient, RedisKeyOptions } from './redis-client';
import {
  type CallMessage,
  CallResult,
  DAY,
  GROUP,
  QueuedCall,
  StreamEntry,
  callKeys,
  openConnection,
  parseJson,
} from './redis-call-wire';

/** Runs every call at once. */
const noGate: ConcurrencyGate = { run: (_call, fn) => fn() };

export interface CallWorkerOptions extends RedisKeyOptions {
  /** This worker's name in the consumer group; unique per process. */
  consumer: string;
  /** Most calls it runs at once; it reads no more than that from the stream. */
  pool: number;
  /** A call whose worker has been silent this long is taken over by another. @default 15000 */
  reclaimMs?: number;
  /** Limits per model and agent across calls (`createLocalGate`, `createRedisGate`). @default none */
  gate?: ConcurrencyGate;
  /** @default console.warn */
  log?: (line: string) => void;
  /** How long one read waits for new calls. @default 5000 */
  blockMs?: number;
  /** How long `stop()` lets running calls finish before it aborts them (they go to another worker). @default 20000 */
  graceMs?: number;
  connectTimeoutMs?: number;
}

/** Counters of a worker since it started. */
export interface CallWorkerStats {
  running: number;
  peak: number;
  /** Calls answered, with a reply or a model error, including ones answered from a stored result. */
  completed: number;
  failed: number;
  cancelled: number;
  /** Calls taken over from a worker that went silent. */
  reclaimed: number;
  /** Malformed stream entries dropped. */
  dropped: number;
  /** Reclaim sweeps run. */
  sweeps: number;
}

export interface CallWorker {
  /** Resolves once the worker reads calls; rejects when it cannot start (Redis unreachable). */
  ready: Promise<void>;
  /** Stops reading, lets running calls finish (up to `graceMs`), closes its connections. */
  stop(): Promise<void>;
  /** For tests: vanishes as a killed process would, leaving its calls unacknowledged and locked. */
  crash(): void;
  stats(): CallWorkerStats;
}

interface Job {
  id: string;
  call: QueuedCall;
  key: string;
  controller: AbortController;
  locked: boolean;
  /** Why the job was aborted: its caller cancelled it, it lost its lock, the worker stops or died. */
  ending?: 'cancelled' | 'lost' | 'stopped' | 'crashed';
  done?: Promise<void>;
}

const REFRESH_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const isTransient = (error: unknown) =>
  error instanceof TransientModelError ||
  ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes((error as { code?: string } | null)?.code ?? '');

/**
 * A worker process's loop: reads calls from `<prefix>calls` in the consumer group `workers`, never
 * more than `pool` at once (the rest wait in the stream), and runs each once: under a per-call lock
 * (`<prefix>call-lock:<key>`), skipping calls whose result is stored or whose callers gave up, and
 * storing the result (`<prefix>call-result:<key>`) before publishing it and acknowledging the entry.
 * While a call runs its entry's idle time is reset every `reclaimMs / 3`; every `reclaimMs / 2` the
 * worker takes over entries idle for `reclaimMs` (their worker died). Cancels come on
 * `<prefix>call-cancel`. The caller owns `client`; the worker opens two connections of its own.
 */
export function startCallWorker(models: ModelPort, client: RedisClient, options: CallWorkerOptions): CallWorker {
  const keys = callKeys(options.prefix);
  const { consumer, pool } = options;
  const reclaimMs = options.reclaimMs ?? 15_000;
  const log = options.log ?? ((line: string) => console.warn(line));
  const gate = options.gate ?? noGate;
  const stats = { peak: 0, completed: 0, failed: 0, cancelled: 0, reclaimed: 0, dropped: 0, sweeps: 0 };
  const jobs = new Map<string, Job>();
  const connections: RedisClient[] = [];
  let stopping = false;
  let crashed = false;
  let readerId: number | undefined;
  let cursor = '0-0';
  let wakeReader: () => void = () => {};
  const free = () => pool - jobs.size;
  const untilSlotFree = () => new Promise<void>((resolve) => (wakeReader = resolve));
  const publish = (call: string, message: CallMessage) =>
    client.publish(keys.channel(call), JSON.stringify(message)).catch(() => {});
  /** Done with an entry: acknowledged, deleted, and its call no longer marked as queued. */
  const ack = (id: string, call?: string) => {
    const multi = client.multi().xAck(keys.stream, GROUP, id).xDel(keys.stream, id);
    return (call ? multi.del([keys.submitted(call), keys.cancelled(call)]) : multi).exec();
  };

  async function answer(job: Job, result: CallResult) {
    if ('ok' in result) await publish(job.key, { type: 'done', reply: result.ok });
    else await publish(job.key, { type: 'error', message: result.error, transient: result.transient });
    await ack(job.id, job.key);
    stats.completed++;
    if ('error' in result) stats.failed++;
  }

  /** Runs the model; 'cancelled' when its caller gave it up meanwhile. */
  async function execute(job: Job): Promise<'cancelled' | undefined> {
    const { call, controller } = job;
    let result: CallResult;
    try {
      const reply = await gate.run(
        call,
        () =>
          models.complete({
            ...call,
            signal: controller.signal,
            onToken: (delta) => void publish(job.key, { type: 'token', delta }),
          }),
        controller.signal,
      );
      result = { ok: { text: reply.text, tokensIn: reply.tokensIn, tokensOut: reply.tokensOut } };
    } catch (error) {
      result = { error: error instanceof Error ? error.message : String(error), transient: isTransient(error) };
    }
    // An aborted call's outcome belongs to whoever aborted it.
    if (job.ending === 'cancelled') return 'cancelled';
    if (job.ending) return undefined;
    await client.set(keys.result(job.key), JSON.stringify(result), { EX: 'ok' in result ? 7 * DAY : 3_600 });
    await answer(job, result);
  }

  async function run(job: Job): Promise<void> {
    const lock = keys.lock(job.key);
    if ((await client.set(lock, consumer, { NX: true, PX: reclaimMs })) !== 'OK') {
      // Another worker runs it; the entry stays pending here and is looked at again once idle.
      log(`worker ${consumer}: call ${job.key} is locked by another worker, left for later`);
      return;
    }
    job.locked = true;
    let cancelled = false;
    try {
      // Checked under the lock: a worker that finished it stored the result before unlocking.
      const stored = parseJson(CallResult, await client.get(keys.result(job.key)));
      if (stored) return await answer(job, stored);
      cancelled = job.ending === 'cancelled' || (await client.exists(keys.cancelled(job.key))) === 1;
      if (!cancelled) cancelled = (await execute(job)) === 'cancelled';
    } finally {
      if (!crashed) await client.eval(UNLOCK, { keys: [lock], arguments: [consumer] }).catch(() => {});
    }
    if (!cancelled) return;
    // Unlocked before the marker goes: a caller still waiting may queue the call again at once.
    await ack(job.id, job.key);
    await publish(job.key, { type: 'error', message: 'cancelled', transient: false, cancelled: true });
    stats.cancelled++;
  }

  function take(raw: unknown, reclaimed: boolean) {
    const entry = StreamEntry.safeParse(raw).data;
    if (!entry || jobs.has(entry.id)) return;
    const field = entry.message['call'];
    const call = typeof field === 'string' ? parseJson(QueuedCall, field) : undefined;
    if (!call) {
      const shown = JSON.stringify(entry.message).slice(0, 200);
      log(`worker ${consumer}: dropping malformed call entry ${entry.id}: ${shown}`);
      stats.dropped++;
      void ack(entry.id).catch(() => {});
      return;
    }
    if (reclaimed) stats.reclaimed++;
    const job: Job = {
      id: entry.id,
      call,
      key: callKeyString(call.key),
      controller: new AbortController(),
      locked: false,
    };
    jobs.set(job.id, job);
    stats.peak = Math.max(stats.peak, jobs.size);
    job.done = run(job)
      .catch((error: unknown) => {
        if (!crashed) log(`worker ${consumer}: call ${job.key} failed in the worker: ${(error as Error).message}`);
      })
      .finally(() => {
        jobs.delete(job.id);
        wakeReader();
      });
  }

  const entriesOf = (reply: unknown): unknown[] =>
    Array.isArray(reply) ? reply.flatMap((stream: { messages?: unknown }) => stream?.messages ?? []) : [];

  // One loop both reads and sweeps, so together they never take more calls than the pool has room for.
  async function readLoop(reader: RedisClient) {
    const sweepEvery = reclaimMs / 2;
    const block = Math.ceil(Math.min(options.blockMs ?? 5_000, sweepEvery));
    let nextSweep = Date.now() + sweepEvery;
    while (!stopping) {
      if (free() <= 0) {
        await untilSlotFree();
        continue;
      }
      try {
        if (Date.now() >= nextSweep) {
          nextSweep = Date.now() + sweepEvery;
          await sweep();
          continue;
        }
        const streams = { key: keys.stream, id: '>' };
        const reply = await reader.xReadGroup(GROUP, consumer, streams, { COUNT: free(), BLOCK: block });
        if (!crashed) for (const entry of entriesOf(reply)) take(entry, false);
      } catch (error) {
        if (stopping) return;
        if (/NOGROUP|stream key no longer exists/.test((error as Error).message)) {
          // The stream was deleted under the workers (DEL, FLUSHALL), and its group with it: a
          // read then fails with NOGROUP, or a blocked one is woken with UNBLOCKED.
          const made = await ensureGroup().catch(() => undefined);
          if (made)
            log(`worker ${consumer}: the group ${GROUP} of ${keys.stream} was gone (stream deleted?): made it again`);
          cursor = '0-0';
          if (made !== undefined) continue;
        }
        log(`worker ${consumer}: reading calls failed: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(reclaimMs, 1_000)));
      }
    }
  }

  async function heartbeat() {
    const held = [...jobs.values()].filter((job) => job.locked && !job.ending);
    const kept = await Promise.all(
      held.map((job) =>
        client.eval(REFRESH_LOCK, { keys: [keys.lock(job.key)], arguments: [consumer, String(reclaimMs)] }),
      ),
    );
    for (const [i, job] of held.entries()) {
      if (kept[i] === 1) continue;
      log(`worker ${consumer}: lost the lock of call ${job.key}; another worker has it`);
      job.ending = 'lost';
      job.controller.abort(new Error('lost the call lock'));
    }
    const ids = held.filter((_, i) => kept[i] === 1).map((job) => job.id);
    if (ids.length > 0 && !crashed) await client.xClaimJustId(keys.stream, GROUP, consumer, 0, ids);
  }

  /** Takes over calls whose worker has been silent for reclaimMs. */
  async function sweep() {
    stats.sweeps++;
    const reply = await client.xAutoClaim(keys.stream, GROUP, consumer, reclaimMs, cursor, { COUNT: free() });
    cursor = reply.nextId;
    if (!crashed) for (const entry of reply.messages) if (entry) take(entry, true);
  }

  const onCancel = (key: string) => {
    for (const job of jobs.values()) {
      if (job.key !== key || job.ending) continue;
      job.ending = 'cancelled';
      job.controller.abort(new Error('cancelled'));
    }
  };

  const beating = setInterval(
    () => void heartbeat().catch((e: Error) => log(`worker ${consumer}: heartbeat failed: ${e.message}`)),
    reclaimMs / 3,
  );
  /** Makes the group (with the stream, from its start) unless it is there; true when this call made it. */
  const ensureGroup = () =>
    client.xGroupCreate(keys.stream, GROUP, '0', { MKSTREAM: true }).then(
      () => true,
      (error: Error) => {
        if (error.message.includes('BUSYGROUP')) return false;
        throw error;
      },
    );
  const started = (async () => {
    await ensureGroup();
    const timeoutMs = options.connectTimeoutMs;
    const [reader, subscriber] = await Promise.all([
      openConnection(client, 'the call reader connection', timeoutMs),
      openConnection(client, 'the call cancel connection', timeoutMs),
    ]);
    connections.push(reader, subscriber);
    await subscriber.subscribe(keys.cancels, onCancel);
    readerId = await reader.clientId();
    return reader;
  })();
  const running = started
    .then((reader) => (stopping ? undefined : readLoop(reader)))
    .catch((error: unknown) => {
      if (!crashed) log(`worker ${consumer} stopped: ${(error as Error).message}`);
    });
  const ready = started.then(() => {});
  ready.catch(() => {}); // reported by `running` too; callers that await `ready` still see it
  const destroyConnections = () => {
    for (const connection of connections) if (connection.isOpen) connection.destroy();
  };

  function halt() {
    stopping = true;
    wakeReader();
  }

  return {
    ready,
    async stop() {
      halt();
      // The blocking read returns at once, as if it had timed out.
      if (readerId !== undefined) await client.clientUnblock(readerId).catch(() => {});
      await running;
      const all = Promise.all([...jobs.values()].map((job) => job.done));
      let grace: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'over'>(
        (resolve) => (grace = setTimeout(() => resolve('over'), options.graceMs ?? 20_000)),
      );
      if ((await Promise.race([all, graceOver])) === 'over') {
        for (const job of jobs.values()) {
          job.ending ??= 'stopped';
          job.controller.abort(new Error('the worker stopped'));
        }
        await all;
      }
      clearTimeout(grace);
      clearInterval(beating);
      await Promise.all(connections.map((c) => (c.isOpen ? c.close() : undefined)));
    },
    crash() {
      crashed = true;
      halt();
      clearInterval(beating);
      destroyConnections();
      void started.then(destroyConnections, () => {});
      for (const job of jobs.values()) {
        job.ending = 'crashed';
        job.controller.abort(new Error('the worker crashed'));
      }
    },
    stats: () => ({ running: jobs.size, ...stats }),
  };
}
