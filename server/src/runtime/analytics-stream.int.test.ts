import { type AddressInfo, type Socket, createServer, connect as connectTcp } from 'node:net';
import type { RunEvent } from '@revo/actors';
import { type RedisClientOptions, createClient } from 'redis';
import { afterEach, expect, it } from 'vitest';
import { type RedisClient, connectRedis } from '../adapters/redis/redis-client';
import { describeWithRedis } from '../testing/redis-server';
import { type AnalyticsRecorder, type Ingester, createAnalyticsStreamWriter, startIngester } from './analytics-stream';

const step = (runId: string, seq: number, at = 1_700_000_000_000 + seq): RunEvent => ({
  type: 'step.started',
  runId,
  stepId: 's1',
  agent: 'architect',
  attempt: 1,
  at,
  seq,
});
const token = (runId: string, seq: number): RunEvent => ({
  type: 'agent.token',
  runId,
  stepId: 's1',
  agent: 'architect',
  delta: 'x',
  at: 1,
  seq,
});
const ids = (events: readonly RunEvent[]) => events.map((e) => `${e.runId}/${e.seq}`);

/** The client's next reconnect attempt (`events.once` would reject on the 'error' that comes first). */
const reconnecting = (client: RedisClient) => new Promise<void>((resolve) => client.once('reconnecting', resolve));

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Keeps what it was given once flushed. `hold` makes the first flush wait: `held` resolves when it
 * starts, and it finishes on `release()` (never, for an ingester that is to die there).
 */
function fakeRecorder(options: { hold?: boolean } = {}) {
  const durable: RunEvent[] = [];
  let recorded: RunEvent[] = [];
  const held = deferred();
  const released = deferred();
  let reached: { n: number; resolve: () => void }[] = [];
  let holding = options.hold ?? false;
  const recorder: AnalyticsRecorder = {
    record: (event) => void recorded.push(event),
    async flush() {
      const batch = recorded;
      recorded = [];
      if (holding) {
        holding = false;
        held.resolve();
        await released.promise;
      }
      durable.push(...batch);
      for (const r of reached) if (durable.length >= r.n) r.resolve();
      reached = reached.filter((r) => durable.length < r.n);
    },
  };
  return {
    recorder,
    durable,
    held: held.promise,
    release: () => released.resolve(),
    /** Resolves once `n` events are flushed. */
    reached: (n: number) =>
      durable.length >= n ? Promise.resolve() : new Promise<void>((resolve) => reached.push({ n, resolve })),
  };
}

/** A TCP relay to Redis that can be cut (connections dropped, new ones refused) and restored. */
async function relayTo(port: number) {
  const sockets = new Set<Socket>();
  let up = true;
  const server = createServer((socket) => {
    if (!up) return socket.destroy();
    const upstream = connectTcp(port, '127.0.0.1');
    for (const end of [socket, upstream]) {
      sockets.add(end);
      end.on('error', () => {});
      end.on('close', () => {
        sockets.delete(end);
        socket.destroy();
        upstream.destroy();
      });
    }
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = () => {
    up = false;
    for (const s of sockets) s.destroy();
  };
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut,
    restore: () => {
      up = true;
    },
    close: () => {
      cut();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describeWithRedis('analytics stream', (server) => {
  let tests = 0;
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  });
  const prefix = () => `t${++tests}.${process.pid}:`;
  const client = async () => {
    const c = await connectRedis(server().url, { onError: () => {} });
    cleanups.push(async () => c.isOpen && c.destroy());
    return c;
  };
  /** A client with options of the test's own (a name, no reconnecting), which connectRedis does not take. */
  const plainClient = async (url: string, options: Partial<RedisClientOptions> = {}) => {
    const c = createClient({ url, ...options }) as RedisClient;
    c.on('error', () => {});
    await c.connect();
    cleanups.push(async () => c.isOpen && c.destroy());
    return c;
  };
  const ingester = (c: RedisClient, recorder: AnalyticsRecorder, p: string, consumer: string, more = {}) => {
    const started = startIngester(c, recorder, { prefix: p, consumer, batch: 5, blockMs: 100, ...more });
    cleanups.push(() => started.stop());
    return started;
  };
  const entries = async (c: RedisClient, p: string) =>
    ((await c.xRange(`${p}analytics`, '-', '+')) ?? []).flatMap((e) =>
      e ? [JSON.parse(String(e.message.e)) as RunEvent] : [],
    );

  it('writes the events of one tick in one round trip, in order, without token deltas', async () => {
    const [c, p] = [await client(), prefix()];
    const writer = createAnalyticsStreamWriter(c, { prefix: p });
    writer.append(step('a', 1));
    writer.append(token('a', 1));
    writer.append(step('b', 1));
    writer.append(step('a', 2));
    // Sent before the writer's turn comes: Redis answers in order, so this sees the stream before the write.
    expect(await c.xLen(`${p}analytics`)).toBe(0);
    await writer.flush();
    expect(ids(await entries(c, p))).toEqual(['a/1', 'b/1', 'a/2']);
    expect(writer.stats()).toMatchObject({ appended: 3, skipped: 1, written: 3, writes: 1, buffered: 0 });
  });

  it('keeps what is appended while Redis is unreachable and writes it, in order, once it is back', async () => {
    const p = prefix();
    const relay = await relayTo(server().port);
    cleanups.push(() => relay.close());
    const c = await plainClient(relay.url);
    const writer = createAnalyticsStreamWriter(c, { prefix: p, onError: () => {} });
    writer.append(step('r', 1));
    await writer.flush();
    const noticed = reconnecting(c);
    relay.cut();
    await noticed;
    for (let seq = 2; seq <= 30; seq++) {
      writer.append(step('r', seq));
      if (seq % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    let flushed = false;
    const flushing = writer.flush().then(() => {
      flushed = true;
    });
    // A reconnect attempt failed after the appends: none of them can have reached Redis.
    await reconnecting(c);
    expect(flushed).toBe(false);
    expect(writer.stats()).toMatchObject({ written: 1, buffered: 29 });
    relay.restore();
    await flushing;
    expect(ids(await entries(await client(), p))).toEqual(ids(Array.from({ length: 30 }, (_, i) => step('r', i + 1))));
  });

  it('drops the oldest events beyond maxBuffered while Redis is unreachable, and says how many', async () => {
    const p = prefix();
    const relay = await relayTo(server().port);
    cleanups.push(() => relay.close());
    const c = await plainClient(relay.url);
    const errors: string[] = [];
    const writer = createAnalyticsStreamWriter(c, {
      prefix: p,
      maxBuffered: 5,
      onError: (e) => errors.push(e.message),
    });
    const noticed = reconnecting(c);
    relay.cut();
    await noticed;
    for (let seq = 1; seq <= 8; seq++) writer.append(step('r', seq));
    const closing = writer.close();
    relay.restore();
    await closing;
    expect(ids(await entries(await client(), p))).toEqual(['r/4', 'r/5', 'r/6', 'r/7', 'r/8']);
    expect(writer.stats()).toMatchObject({ dropped: 3, written: 5 });
    expect(errors).toContainEqual(expect.stringMatching(/dropped the 3 oldest events/));
  });

  it('records every event once, in stream order, and acks and deletes what it took', async () => {
    const [c, p] = [await client(), prefix()];
    const writer = createAnalyticsStreamWriter(c, { prefix: p });
    const appended = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((seq) => ['a', 'b', 'c'].map((run) => step(run, seq)));
    for (const event of appended) writer.append(event);
    await writer.flush();
    const fake = fakeRecorder();
    const one = ingester(c, fake.recorder, p, 'one');
    await one.idle();
    expect(ids(fake.durable)).toEqual(ids(appended));
    expect(one.stats()).toMatchObject({ read: 24, recorded: 24, duplicates: 0, acked: 24, batches: 5 });
    expect(await c.xLen(`${p}analytics`)).toBe(0);
    expect(Object.values(await c.hGetAll(`${p}ingested:a`))).toEqual(Array(8).fill('done'));
    expect(await c.ttl(`${p}ingested:a`)).toBeGreaterThan(86_400);
  });

  it('records a re-published (runId, seq) once: the first copy wins, before or after it was acked', async () => {
    const [c, p] = [await client(), prefix()];
    const writer = createAnalyticsStreamWriter(c, { prefix: p });
    for (let seq = 1; seq <= 4; seq++) writer.append(step('r', seq));
    // A successor re-publishes seqs 3..4 (stamped later) while the originals still wait.
    for (let seq = 3; seq <= 4; seq++) writer.append(step('r', seq, 9));
    await writer.flush();
    const fake = fakeRecorder();
    const one = ingester(c, fake.recorder, p, 'one');
    await one.idle();
    writer.append(step('r', 4, 10));
    writer.append(step('r', 5));
    await writer.flush();
    await one.idle();
    expect(ids(fake.durable)).toEqual(['r/1', 'r/2', 'r/3', 'r/4', 'r/5']);
    expect(fake.durable.every((e) => e.at === 1_700_000_000_000 + e.seq)).toBe(true);
    expect(one.stats()).toMatchObject({ recorded: 5, duplicates: 3, acked: 8 });
  });

  it('shares the stream between two ingesters: each event recorded once in all', async () => {
    const [c, p] = [await client(), prefix()];
    const writer = createAnalyticsStreamWriter(c, { prefix: p });
    const appended = Array.from({ length: 40 }, (_, i) => step(`r${i % 4}`, Math.floor(i / 4) + 1));
    for (const event of appended) writer.append(event);
    await writer.flush();
    // The first holds its batch until the second has taken the rest, and copies of the held events.
    const first = fakeRecorder({ hold: true });
    const one = ingester(c, first.recorder, p, 'one');
    await first.held;
    for (const event of appended.slice(0, 5)) writer.append({ ...event, at: 9 });
    await writer.flush();
    const second = fakeRecorder();
    const two = ingester(c, second.recorder, p, 'two');
    await second.reached(35);
    first.release();
    await Promise.all([one.idle(), two.idle()]);
    expect(ids(first.durable)).toEqual(ids(appended.slice(0, 5)));
    expect(ids(second.durable)).toEqual(ids(appended.slice(5)));
    expect(two.stats()).toMatchObject({ recorded: 35, duplicates: 5 });
    expect(first.durable.every((e) => e.at !== 9)).toBe(true);
  });

  /**
   * Appends `count` events; an ingester named `consumer` takes the first five and dies holding them:
   * its flush never ends and its connections are killed, as when its process dies.
   */
  async function dieHoldingABatch(c: RedisClient, p: string, count: number, consumer: string) {
    const appended = Array.from({ length: count }, (_, i) => step('r', i + 1));
    const writer = createAnalyticsStreamWriter(c, { prefix: p });
    for (const event of appended) writer.append(event);
    await writer.flush();
    const name = `${consumer}-${p}`;
    const mortal = await plainClient(server().url, { name, socket: { reconnectStrategy: false } });
    const dying = fakeRecorder({ hold: true });
    startIngester(mortal, dying.recorder, { prefix: p, consumer, batch: 5, blockMs: 100 });
    await dying.held;
    const list = String(await c.sendCommand(['CLIENT', 'LIST']));
    const doomed = [...list.matchAll(/^id=(\d+) .* name=(\S*) /gm)].filter((m) => m[2] === name);
    for (const m of doomed) await c.sendCommand(['CLIENT', 'KILL', 'ID', m[1] as string]);
    // The connection it was given and its own blocking one.
    expect(doomed).toHaveLength(2);
    return appended;
  }

  it('takes over the entries of an ingester that died before acking: none lost, none twice', async () => {
    const [c, p] = [await client(), prefix()];
    const appended = await dieHoldingABatch(c, p, 12, 'dying');
    const heir = fakeRecorder();
    const two = ingester(c, heir.recorder, p, 'heir', { reclaimMs: 200 });
    await two.idle();
    expect(ids(heir.durable).sort()).toEqual(ids(appended).sort());
    expect(two.stats()).toMatchObject({ recorded: 12, reclaimed: 5, duplicates: 0 });
  });

  it('reads its own pending entries first when it comes back under the same name', async () => {
    const [c, p] = [await client(), prefix()];
    const appended = await dieHoldingABatch(c, p, 8, 'pod-0');
    const after = fakeRecorder();
    const again = ingester(c, after.recorder, p, 'pod-0', { reclaimMs: 60_000 });
    await again.idle();
    expect(ids(after.durable)).toEqual(ids(appended));
    expect(again.stats()).toMatchObject({ recorded: 8, reclaimed: 0 });
  });

  it('drops malformed entries, counts them and acks them', async () => {
    const [c, p] = [await client(), prefix()];
    const stream = `${p}analytics`;
    await c.xAdd(stream, '*', { e: 'not json' });
    await c.xAdd(stream, '*', { other: JSON.stringify(step('r', 1)) });
    await c.xAdd(stream, '*', { e: JSON.stringify({ ...step('r', 1), seq: -1 }) });
    await c.xAdd(stream, '*', { e: JSON.stringify({ ...step('r', 1), type: 'workflow.exploded' }) });
    await c.xAdd(stream, '*', { e: JSON.stringify(token('r', 1)) });
    await c.xAdd(stream, '*', { e: JSON.stringify(step('r', 1)) });
    const lines: string[] = [];
    const fake = fakeRecorder();
    const one = ingester(c, fake.recorder, p, 'one', { log: (line: string) => lines.push(line) });
    await one.idle();
    expect(ids(fake.durable)).toEqual(['r/1']);
    expect(one.stats()).toMatchObject({ read: 6, malformed: 5, recorded: 1, acked: 6 });
    expect(lines.filter((l) => l.includes('dropped entry'))).toHaveLength(5);
  });

  /** An ingester `one` on a fresh prefix whose log lines are kept, and a writer to it. */
  const loggedIngester = async () => {
    const [c, p] = [await client(), prefix()];
    const lines: string[] = [];
    const fake = fakeRecorder();
    const one = ingester(c, fake.recorder, p, 'one', { log: (line: string) => lines.push(line) });
    return { c, p, lines, fake, one, writer: createAnalyticsStreamWriter(c, { prefix: p }) };
  };

  it('makes its group before it reads or sweeps: no NOGROUP on a fresh prefix', async () => {
    const { lines, fake, one, writer } = await loggedIngester();
    for (let seq = 1; seq <= 7; seq++) writer.append(step('r', seq));
    await writer.flush();
    await fake.reached(7);
    await one.idle();
    expect(ids(fake.durable)).toEqual(ids(Array.from({ length: 7 }, (_, i) => step('r', i + 1))));
    expect(lines.filter((l) => l.includes('NOGROUP'))).toEqual([]);
    expect(one.stats()).toMatchObject({ recorded: 7, failures: 0 });
  });

  it('makes its group again when the stream is deleted under it, and ingests what comes after', async () => {
    const { c, p, lines, fake, one, writer } = await loggedIngester();
    writer.append(step('r', 1));
    await writer.flush();
    await one.idle();
    expect(await c.del(`${p}analytics`)).toBe(1);
    for (let seq = 2; seq <= 6; seq++) writer.append(step('r', seq));
    await writer.flush();
    await fake.reached(6);
    await one.idle();
    expect(ids(fake.durable)).toEqual(ids(Array.from({ length: 6 }, (_, i) => step('r', i + 1))));
    // One failed read, then the group again before the next: not a NOGROUP after it.
    expect(one.stats()).toMatchObject({ recorded: 6, failures: 1 });
    expect(lines).toContainEqual(expect.stringMatching(/group .* was gone .*: made it again/));
  });

  it('finishes the batch in hand on stop(), and stop() cuts a blocking read short', async () => {
    const [c, p] = [await client(), prefix()];
    const writer = createAnalyticsStreamWriter(c, { prefix: p });
    for (let seq = 1; seq <= 3; seq++) writer.append(step('r', seq));
    await writer.flush();
    const fake = fakeRecorder({ hold: true });
    const one: Ingester = startIngester(c, fake.recorder, { prefix: p, consumer: 'one', blockMs: 30_000 });
    await fake.held;
    const stopping = one.stop();
    fake.release();
    await stopping;
    expect(ids(fake.durable)).toEqual(['r/1', 'r/2', 'r/3']);
    expect(await c.xLen(`${p}analytics`)).toBe(0);
    const idle = fakeRecorder();
    const two = startIngester(c, idle.recorder, { prefix: p, consumer: 'two', blockMs: 30_000 });
    await two.idle();
    const started = Date.now();
    await two.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(two.idle()).rejects.toThrow(/stopped/);
  });
});
