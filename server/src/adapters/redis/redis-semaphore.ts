import { randomUUID } from 'node:crypto';
import {
  type ConcurrencyGate,
  type ConcurrencyLimits,
  type GatedCall,
  type LimitSlot,
  slotsFor,
} from '../../runtime/concurrency';
import { type RedisClient, type RedisKeyOptions, connectWithin, keysUnder } from './redis-client';

export interface RedisGateOptions extends RedisKeyOptions {
  /** Names this process in the leases it holds (its worker name, say). */
  holder: string;
  /** How long a lease lives unless refreshed; the slots of a holder that dies come free after it. @default 15000 */
  leaseMs?: number;
  /** How long a waiter waits for a release notice before it tries again anyway (expired leases send none). @default 500 */
  retryMs?: number;
  /** How long connecting the subscriber connection may take. @default 5000 */
  connectTimeoutMs?: number;
}

/** What a Redis gate is doing, for tests and logs. */
export interface RedisGateStats {
  /** Calls waiting for room. */
  waiting: number;
  /** Calls holding leases. */
  holding: number;
  /** Acquire attempts so far, granted or not. */
  attempts: number;
}

// Server time, so holders on machines with different clocks agree on when a lease ends.
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// Leases every limit in KEYS to ARGV[1] for ARGV[2] ms; the key outlives its longest lease.
const LEASE = `for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now + tonumber(ARGV[2]), ARGV[1])
  if redis.call('PTTL', key) < tonumber(ARGV[2]) then redis.call('PEXPIRE', key, ARGV[2]) end
end`;

// All or none: drops expired leases, checks room under every limit (ARGV[2 + i] for KEYS[i]), then leases all.
const ACQUIRE = `${NOW}
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  if redis.call('ZCARD', key) >= tonumber(ARGV[2 + i]) then return 0 end
end
${LEASE}
return 1`;

// A running call is counted even when its lease lapsed meanwhile (a stalled event loop): it does run.
const REFRESH = `${NOW}
${LEASE}
return 1`;

interface Waiter {
  slots: LimitSlot[];
  member: string;
  start: () => void;
  fail: (error: unknown) => void;
}

/**
 * The concurrency gate across processes: one sorted set per limit (`<prefix>sem:<name>`, e.g.
 * `sem:agent:coder`) whose members are leases (one per running call, `<holder>:<uuid>`) scored by
 * their expiry in server time. A Lua script takes a lease under every limit a call needs or under
 * none; a running call refreshes its leases every `leaseMs / 3`, and a holder that dies stops
 * refreshing, so its leases lapse. Releases are announced on `<prefix>sem-released`; waiters try
 * again on a notice or after `retryMs`, first come first served within this process.
 *
 * The caller owns `client`; `close()` closes the one subscriber connection and fails waiting calls.
 */
export function createRedisGate(
  client: RedisClient,
  limits: ConcurrencyLimits,
  options: RedisGateOptions,
): ConcurrencyGate & { close(): Promise<void>; stats(): RedisGateStats } {
  const key = keysUnder(options.prefix);
  const released = key('sem-released');
  const leaseMs = options.leaseMs ?? 15_000;
  const retryMs = options.retryMs ?? 500;
  const queue: Waiter[] = [];
  let holding = 0;
  let attempts = 0;
  let closed = false;
  let subscriber: Promise<RedisClient> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let trying: Promise<void> | undefined;
  let tryAgain = false;

  const keysOf = (slots: LimitSlot[]) => slots.map((slot) => key('sem', slot.name));
  const lease = (script: string, slots: LimitSlot[], member: string, extra: string[] = []) =>
    client.eval(script, { keys: keysOf(slots), arguments: [member, String(leaseMs), ...extra] });

  async function release(slots: LimitSlot[], member: string) {
    const multi = client.multi();
    for (const name of keysOf(slots)) multi.zRem(name, member);
    await multi.publish(released, slots.map((slot) => slot.name).join(',')).exec();
  }

  /** Tries the waiters in order; one that cannot start holds up later ones on its limits. */
  async function tryWaiters() {
    const heldUp = new Set<string>();
    for (const waiter of [...queue]) {
      if (!queue.includes(waiter)) continue;
      if (waiter.slots.some((slot) => heldUp.has(slot.name))) {
        for (const slot of waiter.slots) heldUp.add(slot.name);
        continue;
      }
      attempts++;
      let granted: boolean;
      try {
        granted =
          (await lease(
            ACQUIRE,
            waiter.slots,
            waiter.member,
            waiter.slots.map((s) => String(s.max)),
          )) === 1;
      } catch (error) {
        queue.splice(queue.indexOf(waiter), 1);
        waiter.fail(error);
        continue;
      }
      if (!granted) {
        for (const slot of waiter.slots) heldUp.add(slot.name);
      } else if (queue.includes(waiter)) {
        queue.splice(queue.indexOf(waiter), 1);
        waiter.start();
      } else {
        // It gave up (aborted) while the script ran.
        await release(waiter.slots, waiter.member);
      }
    }
  }

  /** Runs `tryWaiters` now, or once more after the running pass when a pass is under way. */
  function wake() {
    clearTimeout(retryTimer);
    if (trying) {
      tryAgain = true;
      return;
    }
    trying = (async () => {
      do {
        tryAgain = false;
        await tryWaiters();
      } while (tryAgain && !closed);
    })().finally(() => {
      trying = undefined;
      if (queue.length > 0 && !closed) retryTimer = setTimeout(wake, retryMs);
    });
  }

  async function openSubscriber(): Promise<RedisClient> {
    const connection = client.duplicate();
    connection.on('error', () => {});
    await connectWithin(connection, 'the semaphore subscriber connection', options.connectTimeoutMs ?? 5_000);
    await connection.subscribe(released, () => {
      if (queue.length > 0) wake();
    });
    return connection;
  }

  function wait(slots: LimitSlot[], member: string, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const at = queue.indexOf(waiter);
        if (at < 0) return;
        queue.splice(at, 1);
        reject(signal?.reason);
        wake();
      };
      const waiter: Waiter = {
        slots,
        member,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        fail: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
      wake();
    });
  }

  return {
    async run<T>(call: GatedCall, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      const slots = slotsFor(call, limits);
      if (slots.length === 0) return fn();
      if (closed) throw new Error('the gate is closed');
      signal?.throwIfAborted();
      // Subscribed before the first try, so a release between a failed try and the wait is heard.
      subscriber ??= openSubscriber().catch((error: unknown) => {
        subscriber = undefined;
        throw error;
      });
      await subscriber;
      const member = `${options.holder}:${randomUUID()}`;
      await wait(slots, member, signal);
      holding++;
      const refresh = setInterval(() => {
        lease(REFRESH, slots, member).catch(() => {
          // The next refresh tries again; a lapsed lease only lets one more call in meanwhile.
        });
      }, leaseMs / 3);
      try {
        return await fn();
      } finally {
        clearInterval(refresh);
        holding--;
        await release(slots, member).catch(() => {
          // The lease lapses by itself after leaseMs.
        });
        wake();
      }
    },
    stats: () => ({ waiting: queue.length, holding, attempts }),
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      for (const waiter of queue.splice(0)) waiter.fail(new Error('the gate is closed'));
      const connection = await subscriber?.catch(() => undefined);
      subscriber = undefined;
      if (connection?.isOpen) await connection.close();
    },
  };
}
