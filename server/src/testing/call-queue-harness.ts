import type { CallKey, ModelPort, ModelReply, ModelRequest } from '@revo/actors';
import { callKeyString } from '@revo/actors';
import { createFakeModelPort, fakeModel } from '@revo/actors/testing';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import {
  type CallWorker,
  type CallWorkerOptions,
  type RemoteModelPortOptions,
  createRemoteModelPort,
  startCallWorker,
} from '../adapters/redis/redis-call-queue';
import { type RedisClient, connectRedis } from '../adapters/redis/redis-client';
import type { RedisTestServer } from './redis-server';

/** What the call queue's tests share: requests, a model the test finishes, ports and workers on one Redis. */

export const until = (condition: () => void | Promise<void>) => vi.waitFor(condition, { timeout: 10_000, interval: 5 });

export const keyOf = (stepId: string): CallKey => ({ runId: 'r1', stepId, agent: 'coder', attempt: 1 });

export const request = (stepId: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  model: fakeModel('primary'),
  agent: 'coder',
  system: 'You are coder.',
  prompt: `do ${stepId}`,
  jsonSchema: { type: 'object' },
  signal: new AbortController().signal,
  key: keyOf(stepId),
  ...extra,
});

/**
 * A model whose calls run until the test finishes them: counts calls, calls in flight and aborted
 * calls, so tests wait on what the model saw rather than on time.
 */
export function heldModel() {
  const calls: ModelRequest[] = [];
  const aborted: ModelRequest[] = [];
  const finishers = new Map<ModelRequest, (outcome: ModelReply | Error) => void>();
  const load = { inFlight: 0, peak: 0 };
  const port: ModelPort = {
    chainFor: () => [fakeModel('primary')],
    price: () => 0,
    complete(req) {
      calls.push(req);
      load.inFlight++;
      load.peak = Math.max(load.peak, load.inFlight);
      return new Promise<ModelReply>((resolve, reject) => {
        req.signal.addEventListener('abort', () => {
          aborted.push(req);
          reject(req.signal.reason);
        });
        finishers.set(req, (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)));
      }).finally(() => {
        load.inFlight--;
        finishers.delete(req);
      });
    },
  };
  return {
    port,
    calls,
    aborted,
    load,
    /** Calls started and not finished by the test (nor aborted). */
    get held() {
      return finishers.size;
    },
    /** Finishes every call in flight with a reply naming its prompt; returns how many. */
    finishAll() {
      const now = [...finishers];
      finishers.clear();
      for (const [req, finish] of now) finish({ text: `reply to ${req.prompt}`, tokensIn: 3, tokensOut: 4 });
      return now.length;
    },
  };
}

/**
 * Ports and workers for the tests of one `describeWithRedis` block, each on a connection of its
 * own as another process would have, stopped and closed after each test; `admin` looks on.
 */
export function useCallQueue(server: () => RedisTestServer) {
  let admin: RedisClient | undefined;
  let cases = 0;
  const opened: { close(): Promise<void> }[] = [];
  const workers: CallWorker[] = [];
  const logs: string[] = [];
  const connect = async () => {
    const client = await connectRedis(server().url);
    opened.push(client);
    return client;
  };
  const adminClient = () => {
    if (!admin) throw new Error('the admin connection is not open (did beforeAll fail?)');
    return admin;
  };
  beforeAll(async () => {
    admin = await connectRedis(server().url);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    for (const made of opened.splice(0)) await made.close().catch(() => {});
    logs.length = 0;
  });
  afterAll(() => admin?.close());

  return {
    get admin() {
      return adminClient();
    },
    /** Worker log lines of the current test. */
    logs,
    freshPrefix: () => `queue-test:${++cases}:`,
    connect,
    /** A remote model port, with the client it publishes on. */
    async port(prefix: string, options: Omit<RemoteModelPortOptions, 'prefix'> = {}) {
      const client = await connect();
      const local = createFakeModelPort(() => ({ reply: 'x' })).port;
      const made = createRemoteModelPort(local, client, { prefix, ...options });
      opened.unshift(made);
      return Object.assign(made, { client });
    },
    async worker(prefix: string, models: ModelPort, options: Partial<CallWorkerOptions> = {}) {
      const made = startCallWorker(models, await connect(), {
        prefix,
        consumer: `w${workers.length + 1}`,
        pool: 4,
        blockMs: 1_000,
        log: (line) => logs.push(line),
        graceMs: 1_000,
        ...options,
      });
      workers.push(made);
      return made;
    },
    /** Waits until `ports` ports listen on the call's reply channel. */
    untilListening(prefix: string, stepId: string, ports: number) {
      const channel = `${prefix}call:${callKeyString(keyOf(stepId))}`;
      return until(async () => expect((await adminClient().pubSubNumSub(channel))[channel]).toBe(ports));
    },
    /**
     * Listens on `<prefix>call-cancel`; the function returned gives what it carried until a port
     * publishes a probe: one connection's commands reach a subscriber in order, so a cancel the
     * port sent before the probe is heard before it.
     */
    async cancelsUntilProbe(prefix: string) {
      const heard: string[] = [];
      await (await connect()).subscribe([`${prefix}call-cancel`, `${prefix}probe`], (message) => heard.push(message));
      return async (port: { client: RedisClient }) => {
        await port.client.publish(`${prefix}probe`, 'probe');
        await until(() => expect(heard).toContain('probe'));
        return heard.slice(0, -1);
      };
    },
  };
}
