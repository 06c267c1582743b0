import { FencedError, type PersistedActor, type RunEvent } from '@revo/actors';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ownerName } from '../../runtime/ownership';
import { describeWithRedis } from '../../testing/redis-server';
import { type RedisClient, connectRedis } from './redis-client';
import { createRedisEventBus } from './redis-event-bus';
import { createRedisCommandBus, createRedisOwnership } from './redis-ownership';
import { createRedisRunStore } from './redis-run-store';

const actor = (id: string, seq: number): PersistedActor => ({
  id,
  kind: 'workflow',
  snapshot: { value: 'running' },
  input: {},
  seq,
  savedAt: seq,
});
const event = (runId: string, seq: number): RunEvent =>
  ({ type: 'step.started', runId, stepId: 's1', agent: 'coder', attempt: 1, at: seq, seq }) as unknown as RunEvent;

describeWithRedis('run ownership on redis: leases, fencing, commands', (server) => {
  let client: RedisClient;
  let cases = 0;
  const freshPrefix = () => `own:${++cases}:`;
  beforeAll(async () => {
    client = await connectRedis(server().url);
  });
  afterAll(() => client?.close());

  it('grants a lease to one replica at a time, with a larger token on every grant', async () => {
    const prefix = freshPrefix();
    const a = createRedisOwnership(client, { prefix, self: ownerName('a'), leaseMs: 60_000 });
    const b = createRedisOwnership(client, { prefix, self: ownerName('b'), leaseMs: 60_000 });
    const first = await a.acquire('run-1');
    expect(first?.token).toBe(1);
    expect(await b.acquire('run-1')).toBeUndefined();
    expect(await b.holders(['run-1', 'run-2'])).toEqual([a.self, undefined]);
    await a.release(first as { id: string; token: number }, false);
    const second = await b.acquire('run-1');
    expect(second?.token).toBe(2);
    expect(await a.holders(['run-1'])).toEqual([b.self]);
  });

  it('renews held leases and reports the ones lost; a lapsed lease goes to the next replica', async () => {
    const prefix = freshPrefix();
    const a = createRedisOwnership(client, { prefix, self: ownerName('a'), leaseMs: 1_500 });
    const b = createRedisOwnership(client, { prefix, self: ownerName('b'), leaseMs: 1_500 });
    const kept = await a.acquire('kept');
    const lapsing = await a.acquire('lapsing');
    if (!kept || !lapsing) throw new Error('leases not granted');
    // Only `kept` is renewed; `lapsing` runs out and b takes it.
    const taken = await vi.waitFor(
      async () => {
        expect(await a.renew([kept])).toEqual([]);
        const lease = await b.acquire('lapsing');
        if (!lease) throw new Error('not lapsed yet');
        return lease;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(taken.token).toBeGreaterThan(lapsing.token);
    expect(await a.renew([kept, lapsing])).toEqual(['lapsing']);
    expect(await b.acquire('kept')).toBeUndefined();
  });

  it("lets a restarted replica take its previous life's leases at once, but not another replica's", async () => {
    const prefix = freshPrefix();
    const before = createRedisOwnership(client, { prefix, self: ownerName('replica-1'), leaseMs: 60_000 });
    const other = createRedisOwnership(client, { prefix, self: ownerName('replica-2'), leaseMs: 60_000 });
    await before.acquire('mine');
    await other.acquire('theirs');
    const after = createRedisOwnership(client, { prefix, self: ownerName('replica-1'), leaseMs: 60_000 });
    expect(await after.holders(['mine', 'theirs'])).toEqual([undefined, other.self]);
    expect((await after.acquire('mine'))?.token).toBe(2);
    expect(await after.acquire('theirs')).toBeUndefined();
  });

  it('refuses store writes and events carrying a stale fencing token', async () => {
    const prefix = freshPrefix();
    const store = createRedisRunStore(client, { prefix });
    const bus = createRedisEventBus(client, { prefix });
    const a = createRedisOwnership(client, { prefix, self: ownerName('a'), leaseMs: 60_000 });
    const b = createRedisOwnership(client, { prefix, self: ownerName('b'), leaseMs: 60_000 });
    const old = await a.acquire('run-f');
    if (!old) throw new Error('no lease');
    await store.saveActor(actor('run-f', 1), old);
    await store.putRecord('workflows', 'run-f', { by: 'a' }, 1, old);
    await bus.publish(event('run-f', 1), old);
    // a pauses past its lease; b takes over with a new token.
    await client.del(`${prefix}lease:run-f`);
    const current = await b.acquire('run-f');
    if (!current) throw new Error('no lease');

    await expect(store.saveActor(actor('run-f', 9), old)).rejects.toBeInstanceOf(FencedError);
    await expect(store.putRecord('workflows', 'run-f', { by: 'a late' }, 1, old)).rejects.toBeInstanceOf(FencedError);
    await expect(store.removeActor('run-f', old)).rejects.toBeInstanceOf(FencedError);
    await expect(bus.publish(event('run-f', 2), old)).rejects.toBeInstanceOf(FencedError);
    expect(await store.loadActor('run-f')).toEqual(actor('run-f', 1));
    expect(await store.getRecord('workflows', 'run-f')).toEqual({ by: 'a' });
    expect((await bus.history('run-f')).map((e) => e.seq)).toEqual([1]);

    await store.saveActor(actor('run-f', 2), current);
    await bus.publish(event('run-f', 2), current);
    expect(await store.loadActor('run-f')).toEqual(actor('run-f', 2));
    expect((await bus.history('run-f')).map((e) => e.seq)).toEqual([1, 2]);
    await bus.close();
  });

  it('carries a command to the replica that owns the root and brings its reply back', async () => {
    const prefix = freshPrefix();
    const owner = createRedisCommandBus(client, { prefix, self: 'owner/1' });
    const asker = createRedisCommandBus(client, { prefix, self: 'asker/1', timeoutMs: 3_000 });
    const seen: unknown[] = [];
    await owner.serve(async (command) => {
      seen.push(command);
      return { ok: true, record: { id: command.rootId } };
    });
    const command = { type: 'send' as const, rootId: 'run-c', event: { type: 'workflow.cancel', reason: 'r' } };
    expect(await asker.request('owner/1', command)).toEqual({ ok: true, record: { id: 'run-c' } });
    expect(seen).toEqual([command]);
    // Nobody answers for a replica that is gone.
    await expect(asker.request('gone/1', command)).rejects.toThrow(/did not answer within 3000 ms/);
    await owner.close();
    await asker.close();
  });
});
