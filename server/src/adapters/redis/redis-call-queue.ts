import { randomUUID } from 'node:crypto';
import {
  type ModelPort,
  type ModelReply,
  type ModelRequest,
  TransientModelError,
  Usage,
  callKeyString,
} from '@revo/actors';
import { z } from 'zod';
import type { ConcurrencyGate } from '../../runtime/concurrency';
import { type RedisClient, type RedisKeyOptions, connectWithin, keysUnder } from './redis-client';

const GROUP = 'workers';
const DAY = 24 * 60 * 60;

/** A model call as it waits in the stream: the request without its signal and callback. */
const QueuedCall = z.object({
  key: z.object({ runId: z.string(), stepId: z.string(), agent: z.string(), attempt: z.number().int() }),
  model: z.object({ id: z.string(), provider: Usage.shape.provider, name: z.string(), local: z.boolean() }),
  agent: z.string(),
  system: z.string(),
  prompt: z.string(),
  jsonSchema: z.record(z.string(), z.unknown()),
});
type QueuedCall = z.infer<typeof QueuedCall>;
const Reply = z.object({ text: z.string(), tokensIn: z.number(), tokensOut: z.number() });
/** A finished call, kept under `call-result:<key>` so a call is never paid for twice. */
const CallResult = z.union([z.object({ ok: Reply }), z.object({ error: z.string(), transient: z.boolean() })]);
type CallResult = z.infer<typeof CallResult>;
/** What a worker publishes on a call's channel. `cancelled`: nobody ran it, a waiter may submit it again. */
const CallMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('token'), delta: z.string() }),
  z.object({ type: z.literal('done'), reply: Reply }),
  z.object({
    type: z.literal('error'),
    message: z.string(),
    transient: z.boolean(),
    cancelled: z.boolean().optional(),
  }),
]);
type CallMessage = z.infer<typeof CallMessage>;
const StreamEntry = z.object({ id: z.string(), message: z.record(z.string(), z.unknown()) });

function parseJson<T>(schema: z.ZodType<T>, text: string | null | undefined): T | undefined {
  if (text == null) return undefined;
  try {
    return schema.safeParse(JSON.parse(text)).data;
  } catch {
    return undefined;
  }
}

function callKeys(prefix: string | undefined) {
  const key = keysUnder(prefix);
  return {
    stream: key('calls'),
    cancels: key('call-cancel'),
    channel: (call: string) => key('call', call),
    result: (call: string) => key('call-result', call),
    submitted: (call: string) => key('call-submitted', call),
    cancelled: (call: string) => key('call-cancelled', call),
    lock: (call: string) => key('call-lock', call),
  };
}

async function openConnection(client: RedisClient, label: string, timeoutMs = 5_000): Promise<RedisClient> {
  const connection = client.duplicate();
  // Reconnects are handled by the client; their errors are only noise here.
  connection.on('error', () => {});
  return connectWithin(connection, label, timeoutMs);
}

// Marks the call submitted and queues it in one step, so a marker never outlives a lost XADD.
const SUBMIT = `if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], '*', 'call', ARGV[2])
end
return false`;

/** Runs every call at once. */
const noGate: ConcurrencyGate = { run: (_call, fn) => fn() };

const errorOf = (message: { message: string; transient: boolean }) =>
  message.transient ? new TransientModelError(message.message) : new Error(message.message);

export interface RemoteModelPortOptions extends RedisKeyOptions {
  /** How long a call's `call-submitted` marker stops other replicas from queueing it again, in seconds. @default 3600 */
  submittedTtlSeconds?: number;
  /** How long connecting the subscriber connection may take. @default 5000 */
  connectTimeoutMs?: number;
}

/**
 * A model port whose calls run on `worker` processes (`startCallWorker`): `complete` listens on
 * `<prefix>call:<key>`, answers from `<prefix>call-result:<key>` when the call already ran, else
 * queues it on `<prefix>calls` unless another replica did (`<prefix>call-submitted:<key>`), and
 * waits for the worker's tokens and reply. Aborting the request flags the call
 * (`<prefix>call-cancelled:<key>`, for a worker yet to read it) and publishes its key on
 * `<prefix>call-cancel` (for the worker running it). Another replica waiting on a call given up
 * this way queues it again. Chains and prices come from `local`. The caller owns `client`; the
 * port keeps one subscriber connection, opened on the first call and closed by `close()`.
 */
export function createRemoteModelPort(
  local: ModelPort,
  client: RedisClient,
  options: RemoteModelPortOptions = {},
): ModelPort & { close(): Promise<void> } {
  const keys = callKeys(options.prefix);
  const ttl = options.submittedTtlSeconds ?? 3_600;
  const channels = new Map<string, { listeners: Set<(message: CallMessage) => void>; ready: Promise<unknown> }>();
  const unsubscribing = new Map<string, Promise<unknown>>();
  const pending = new Set<(error: Error) => void>();
  let subscriber: Promise<RedisClient> | undefined;
  let closed = false;

  const dispatch = (text: string, channel: string) => {
    const message = parseJson(CallMessage, text);
    if (!message) return; // not ours
    for (const listener of channels.get(channel)?.listeners ?? []) listener(message);
  };

  async function listen(channel: string, listener: (message: CallMessage) => void): Promise<() => void> {
    subscriber ??= openConnection(client, 'the call subscriber connection', options.connectTimeoutMs).catch(
      (error: unknown) => {
        subscriber = undefined;
        throw error;
      },
    );
    const connection = await subscriber;
    let entry = channels.get(channel);
    if (!entry) {
      const listeners = new Set<(message: CallMessage) => void>();
      const ready = (async () => {
        await unsubscribing.get(channel);
        await connection.subscribe(channel, dispatch);
      })().catch((error: unknown) => {
        if (channels.get(channel)?.listeners === listeners) channels.delete(channel);
        throw error;
      });
      entry = { listeners, ready };
      channels.set(channel, entry);
    }
    const { listeners } = entry;
    listeners.add(listener);
    await entry.ready;
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0 || channels.get(channel)?.listeners !== listeners) return;
      channels.delete(channel);
      const done = connection.unsubscribe(channel, dispatch).catch(() => {});
      unsubscribing.set(channel, done);
      void done.then(() => unsubscribing.get(channel) === done && unsubscribing.delete(channel));
    };
  }

  async function complete(request: ModelRequest): Promise<ModelReply> {
    if (closed) throw new Error('the remote model port is closed');
    request.signal.throwIfAborted();
    const key = request.key ?? { runId: `call-${randomUUID()}`, stepId: 'call', agent: request.agent, attempt: 1 };
    const id = callKeyString(key);
    const { model, agent, system, prompt, jsonSchema } = request;
    const call = JSON.stringify({ key, model, agent, system, prompt, jsonSchema } satisfies QueuedCall);
    const submit = () =>
      client.eval(SUBMIT, { keys: [keys.submitted(id), keys.stream], arguments: [String(ttl), call] });
    let fail: (error: unknown) => void = () => {};
    let succeed: (reply: ModelReply) => void = () => {};
    const outcome = new Promise<ModelReply>((resolve, reject) => {
      succeed = resolve;
      fail = reject;
    });
    outcome.catch(() => {}); // awaited below unless the call ends before that
    const onAbort = () => {
      fail(request.signal.reason);
      // The flag is for a worker that reads the entry later; the one running it hears the cancel.
      void client
        .multi()
        .set(keys.cancelled(id), '1', { EX: ttl })
        .publish(keys.cancels, id)
        .exec()
        .catch(() => {});
    };
    request.signal.addEventListener('abort', onAbort, { once: true });
    pending.add(fail);
    let stop = () => {};
    try {
      stop = await listen(keys.channel(id), (message) => {
        switch (message.type) {
          case 'token':
            request.onToken?.(message.delta);
            return;
          case 'done':
            succeed(message.reply);
            return;
          case 'error':
            // Another waiter gave the call up; this one still wants it.
            if (message.cancelled && !request.signal.aborted) submit().catch(fail);
            else fail(errorOf(message));
            return;
        }
      });
      // Listening first: a result stored after this read is still heard on the channel.
      const stored = parseJson(CallResult, await client.get(keys.result(id)));
      if (stored && 'ok' in stored) return stored.ok;
      if (stored) throw errorOf({ message: stored.error, transient: stored.transient });
      request.signal.throwIfAborted();
      await submit();
      return await outcome;
    } finally {
      request.signal.removeEventListener('abort', onAbort);
      pending.delete(fail);
      stop();
    }
  }

  return {
    chainFor: (agent) => local.chainFor(agent),
    price: (model, tokensIn, tokensOut) => local.price(model, tokensIn, tokensOut),
    complete,
    async close() {
      closed = true;
      for (const fail of pending) fail(new Error('the remote model port is closed'));
      const connection = await subscriber?.catch(() => undefined);
      subscriber = undefined;
      if (connection?.isOpen) await connection.close();
    },
  };
}

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
  /** How long `stop()` lets running calls finish before it aborts them (they go to another worker). @default 30000 */
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
  const started = (async () => {
    await client.xGroupCreate(keys.stream, GROUP, '0', { MKSTREAM: true }).catch((error: Error) => {
      if (!error.message.includes('BUSYGROUP')) throw error;
    });
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
        (resolve) => (grace = setTimeout(() => resolve('over'), options.graceMs ?? 30_000)),
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
