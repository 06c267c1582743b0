import type { ModelRef } from '@revo/actors';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { type ConcurrencyGate, type GatedCall, parseConcurrencyLimits } from '../../runtime/concurrency';
import { describeWithRedis } from '../../testing/redis-server';
import { type RedisClient, connectRedis } from './redis-client';
import { createRedisGate } from './redis-semaphore';

const llama: ModelRef = { id: 'ollama:llama3.1:8b', provider: 'ollama', name: 'llama3.1:8b', local: true };
const coder: GatedCall = { model: llama, agent: 'coder' };
const until = (condition: () => void | Promise<void>) => vi.waitFor(condition, { timeout: 10_000, interval: 5 });

/** Calls that run until the test finishes them, counted across every gate they went through. */
function heldCalls() {
  const running = new Set<() => void>();
  let peak = 0;
  let started = 0;
  const run = (gate: ConcurrencyGate, call: GatedCall = coder, signal?: AbortSignal) =>
    gate.run(
      call,
      () =>
        new Promise<void>((resolve) => {
          started++;
          running.add(resolve);
          peak = Math.max(peak, running.size);
        }),
      signal,
    );
  return {
    run,
    /** Finishes every call running now; returns how many that was. */
    finishAll() {
      const now = [...running];
      running.clear();
      for (const finish of now) finish();
      return now.length;
    },
    get running() {
      return running.size;
    },
    get peak() {
      return peak;
    },
    get started() {
      return started;
    },
  };
}

describeWithRedis('redis gate', (server) => {
  let client: RedisClient;
  let cases = 0;
  const freshPrefix = () => `sem-test:${++cases}:`;
  const gates: { close(): Promise<void> }[] = [];
  const serverNow = async () => {
    const [seconds, micros] = await client.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  };
  beforeAll(async () => {
    client = await connectRedis(server().url);
  });
  afterEach(async () => {
    await Promise.all(gates.splice(0).map((gate) => gate.close()));
  });
  afterAll(() => client?.close());

  const gate = (
    prefix: string,
    holder: string,
    limits = 'coder=2',
    more: { leaseMs?: number; retryMs?: number } = {},
  ) => {
    const made = createRedisGate(client, parseConcurrencyLimits({ agents: limits }), { prefix, holder, ...more });
    gates.push(made);
    return made;
  };

  it('never lets two holders together run more calls than the limit, and runs them all', async () => {
    const prefix = freshPrefix();
    const [a, b] = [gate(prefix, 'a'), gate(prefix, 'b')];
    const calls = heldCalls();
    const done = Array.from({ length: 7 }, (_, i) => calls.run(i % 2 === 0 ? a : b));
    let finished = 0;
    while (finished < done.length) {
      await until(() => expect(calls.running).toBe(Math.min(2, done.length - finished)));
      expect(await client.zCard(`${prefix}sem:agent:coder`)).toBeLessThanOrEqual(2);
      finished += calls.finishAll();
    }
    await Promise.all(done);
    expect(calls.peak).toBe(2);
    expect(calls.started).toBe(7);
    expect(await client.zCard(`${prefix}sem:agent:coder`)).toBe(0);
  });

  it('takes a lease under every limit a call needs or under none', async () => {
    const prefix = freshPrefix();
    const limits = parseConcurrencyLimits({ models: 'ollama=1', agents: 'coder=5,tester=5' });
    const g = createRedisGate(client, limits, { prefix, holder: 'a', retryMs: 60_000 });
    gates.push(g);
    const calls = heldCalls();
    const first = calls.run(g, { model: llama, agent: 'tester' });
    await until(() => expect(calls.running).toBe(1));
    const second = calls.run(g, coder);
    await until(() => {
      expect(g.stats().waiting).toBe(1);
      expect(g.stats().attempts).toBeGreaterThanOrEqual(2);
    });
    expect(await client.zCard(`${prefix}sem:provider:ollama`)).toBe(1);
    expect(await client.zCard(`${prefix}sem:agent:coder`)).toBe(0);
    calls.finishAll();
    await first;
    // The release notice starts it: retryMs is far longer than this test.
    await until(() => expect(calls.running).toBe(1));
    expect(await client.zCard(`${prefix}sem:agent:coder`)).toBe(1);
    calls.finishAll();
    await second;
  });

  it('frees the slot of a holder that died once its lease expires', async () => {
    const prefix = freshPrefix();
    const expiry = (await serverNow()) + 300;
    // What a dead holder leaves behind: a lease nobody refreshes or releases.
    await client.zAdd(`${prefix}sem:agent:coder`, { score: expiry, value: 'dead:1' });
    const g = gate(prefix, 'b', 'coder=1', { retryMs: 50 });
    let startedAt = 0;
    await g.run(coder, async () => {
      startedAt = await serverNow();
    });
    expect(startedAt).toBeGreaterThanOrEqual(expiry);
    expect(await client.zRange(`${prefix}sem:agent:coder`, 0, -1)).toEqual([]);
  });

  it('keeps a live holder’s lease past leaseMs by refreshing it', async () => {
    const prefix = freshPrefix();
    const [a, b] = [gate(prefix, 'a', 'coder=1', { leaseMs: 1_500 }), gate(prefix, 'b', 'coder=1', { retryMs: 20 })];
    const calls = heldCalls();
    const first = calls.run(a);
    await until(() => expect(calls.running).toBe(1));
    const [lease] = await client.zRangeWithScores(`${prefix}sem:agent:coder`, 0, -1);
    const second = calls.run(b);
    // Wait until the first lease would have ended twice over without refreshes.
    await until(async () => expect(await serverNow()).toBeGreaterThan((lease?.score ?? 0) + 1_500));
    expect(calls.started).toBe(1);
    expect(b.stats().attempts).toBeGreaterThan(1);
    const [now] = await client.zRangeWithScores(`${prefix}sem:agent:coder`, 0, -1);
    expect(now?.value).toBe(lease?.value);
    expect(now?.score).toBeGreaterThan(lease?.score ?? 0);
    calls.finishAll();
    await first;
    await until(() => expect(calls.started).toBe(2));
    calls.finishAll();
    await second;
  });

  it('drops a waiter whose signal aborts, without leaving a lease behind', async () => {
    const prefix = freshPrefix();
    const g = gate(prefix, 'a', 'coder=1');
    const calls = heldCalls();
    const first = calls.run(g);
    await until(() => expect(calls.running).toBe(1));
    const controller = new AbortController();
    const waiting = calls.run(g, coder, controller.signal);
    await until(() => expect(g.stats().waiting).toBe(1));
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(g.stats().waiting).toBe(0);
    calls.finishAll();
    await first;
    expect(calls.started).toBe(1);
    expect(await client.zCard(`${prefix}sem:agent:coder`)).toBe(0);
  });

  it('runs calls no limit names without touching Redis', async () => {
    const prefix = freshPrefix();
    const g = gate(prefix, 'a', 'coder=1');
    expect(await g.run({ model: llama, agent: 'tester' }, async () => 'free')).toBe('free');
    expect(g.stats().attempts).toBe(0);
    expect((await client.keys(`${prefix}*`)).length).toBe(0);
  });
});
