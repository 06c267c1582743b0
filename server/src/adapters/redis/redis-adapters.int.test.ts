import type { EventBus, JournalEntry, RunEvent } from '@revo/actors';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callJournalContract } from '../../testing/contracts/call-journal-contract';
import { eventBusContract } from '../../testing/contracts/event-bus-contract';
import { runStoreContract } from '../../testing/contracts/run-store-contract';
import { describeWithRedis } from '../../testing/redis-server';
import { createRedisCallJournal } from './redis-call-journal';
import { type RedisClient, connectRedis } from './redis-client';
import { createRedisEventBus } from './redis-event-bus';
import { createRedisRunStore } from './redis-run-store';

const entry: JournalEntry = {
  reply: { text: 'x', tokensIn: 1, tokensOut: 1 },
  usage: { model: 'm', provider: 'fake', local: true, tokensIn: 1, tokensOut: 1, costUsd: 0, latencyMs: 1 },
};

const until = (condition: () => void | Promise<void>) => vi.waitFor(condition, { timeout: 10_000, interval: 5 });

describeWithRedis('redis adapters', (server) => {
  let client: RedisClient;
  let cases = 0;
  // Each case gets its own prefix, so one server serves the whole file without FLUSHALL.
  const freshPrefix = () => `test:${++cases}:`;
  beforeAll(async () => {
    client = await connectRedis(server().url);
  });
  afterAll(() => client?.close());

  runStoreContract('redis run store', async () => ({
    store: createRedisRunStore(client, { prefix: freshPrefix() }),
    cleanup: async () => {},
  }));

  eventBusContract(
    'redis event bus',
    async () => {
      const prefix = freshPrefix();
      const errors: unknown[] = [];
      const make = () => createRedisEventBus(client, { prefix, onListenerError: (error) => errors.push(error) });
      const buses: EventBus[] = [make()];
      return {
        bus: buses[0] as EventBus,
        peer: async () => {
          const bus = make();
          buses.push(bus);
          return bus;
        },
        listenerErrors: () => errors,
        cleanup: async () => {
          await Promise.all(buses.map((bus) => bus.close()));
        },
      };
    },
    { crossInstance: true },
  );

  callJournalContract('redis call journal', async () => ({
    journal: createRedisCallJournal(client, { prefix: freshPrefix() }),
    cleanup: async () => {},
  }));

  describe('on Redis itself', () => {
    const event: RunEvent = { type: 'workflow.state.changed', runId: 'r1', state: 'planning', at: 1, seq: 1 };

    it('writes only keys under its prefix, and stores nothing for a token delta', async () => {
      const prefix = freshPrefix();
      const store = createRedisRunStore(client, { prefix });
      const bus = createRedisEventBus(client, { prefix });
      await store.saveActor({ id: 'a', kind: 'workflow', snapshot: {}, input: {}, seq: 1, savedAt: 1 });
      await store.putRecord('workflows', 'w', {}, 1);
      await bus.publish(event);
      await bus.publish({ type: 'agent.token', runId: 'r2', stepId: 's', agent: 'a', delta: 'x', at: 2, seq: 1 });
      await createRedisCallJournal(client, { prefix }).put({ runId: 'r1', stepId: 's', agent: 'a', attempt: 1 }, entry);
      const keys = (await client.keys('*')).filter((k) => k.startsWith(prefix)).sort();
      expect(keys).toEqual([
        `${prefix}actors`,
        `${prefix}index:workflows`,
        `${prefix}journal:r1/s/a/1`,
        `${prefix}log:r1`,
        `${prefix}records:workflows`,
      ]);
      await bus.close();
    });

    it('expires journal entries after ttlSeconds, 7 days unless told', async () => {
      const prefix = freshPrefix();
      const call = { runId: 'r1', stepId: 's', agent: 'a', attempt: 1 };
      await createRedisCallJournal(client, { prefix }).put(call, entry);
      const week = await client.ttl(`${prefix}journal:r1/s/a/1`);
      expect(week).toBeGreaterThan(7 * 24 * 3600 - 60);
      expect(week).toBeLessThanOrEqual(7 * 24 * 3600);
      await createRedisCallJournal(client, { prefix, ttlSeconds: 30 }).put(call, entry);
      const short = await client.ttl(`${prefix}journal:r1/s/a/1`);
      expect(short).toBeGreaterThan(0);
      expect(short).toBeLessThanOrEqual(30);
    });

    it('holds one subscriber connection per bus, closes it on close() and leaves the caller’s client open', async () => {
      const prefix = freshPrefix();
      const channel = `${prefix}events`;
      const subscribers = async () => (await client.pubSubNumSub(channel))[channel];
      const bus = createRedisEventBus(client, { prefix });
      expect(await subscribers()).toBe(0);
      const unsubscribes = await Promise.all(['r1', 'r2', '*'].map((c) => bus.subscribe(c, () => {})));
      expect(await subscribers()).toBe(1);
      for (const unsubscribe of unsubscribes) await unsubscribe();
      expect(await subscribers()).toBe(1);
      await bus.close();
      await until(async () => expect(await subscribers()).toBe(0));
      expect(client.isOpen).toBe(true);
      expect(await client.ping()).toBe('PONG');
      await expect(bus.subscribe('r1', () => {})).rejects.toThrow(/closed/);
    });

    it('leaves the caller’s client open when the run store closes', async () => {
      const store = createRedisRunStore(client, { prefix: freshPrefix() });
      await store.close();
      expect(client.isOpen).toBe(true);
      expect(await store.loadActors()).toEqual([]);
    });

    it('sees events another connection published, as another replica would', async () => {
      const prefix = freshPrefix();
      const other = await connectRedis(server().url);
      const heard: RunEvent[] = [];
      const bus = createRedisEventBus(client, { prefix });
      await bus.subscribe('r1', (e) => heard.push(e));
      await createRedisEventBus(other, { prefix }).publish(event);
      await until(() => expect(heard).toEqual([event]));
      await other.close();
      await bus.close();
    });
  });
});

describe('connectRedis', () => {
  it('fails within its deadline with an error naming the URL, password hidden', async () => {
    const started = Date.now();
    // Port 1 on loopback: nothing listens there, so every attempt is refused.
    const attempt = connectRedis('redis://revo:s3cret@127.0.0.1:1', { timeoutMs: 500 });
    await expect(attempt).rejects.toThrow(
      /cannot connect to Redis at redis:\/\/revo:\*\*\*@127\.0\.0\.1:1 within 500 ms/,
    );
    await expect(attempt).rejects.not.toThrow(/s3cret/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
