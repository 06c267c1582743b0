import { z } from 'zod';
import {
  type CommandBus,
  type CommandReply,
  type Ownership,
  type RootCommand,
  replicaOf,
} from '../../runtime/ownership';
import { type RedisClient, type RedisKeyOptions, connectWithin, keysUnder } from './redis-client';
import { fenceKey } from './redis-run-store';

/** How long a fence counter outlives its last lease: far longer than any pause a replica survives. */
const FENCE_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * KEYS: lease, fence. ARGV: owner, lease ms, the value we may replace (our previous life's lease, or
 * ''), fence ttl. Grants the lease with the next fencing token, or returns nil when someone holds it.
 */
const ACQUIRE = `local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[3] then return false end
local token = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', ARGV[2])
return token`;

/** KEYS: leases. ARGV: lease ms, then each lease's expected value. Returns the 1-based indexes lost. */
const RENEW = `local lost = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[i + 1] then redis.call('PEXPIRE', key, ARGV[1])
  else table.insert(lost, i) end
end
return lost`;

/**
 * KEYS: lease, fence. ARGV: expected value, fence ttl when finished ('' otherwise). A finished
 * root's fence stays an hour, so its last writes (already sent, checked against it) still land.
 */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 1`;

export interface RedisOwnershipOptions extends RedisKeyOptions {
  /** `<replica>/<incarnation>` of this process (see `ownerName`). */
  self: string;
  /** @default 10000 */
  leaseMs?: number;
}

/**
 * Leases with fencing on Redis. `<prefix>lease:<rootId>` holds `<owner>|<token>` and expires after
 * `leaseMs` unless renewed; `<prefix>fence:<rootId>` counts tokens up, one per grant, so every
 * grant's token is larger than any before it. Stores and buses shared by replicas check a write's
 * token against the fence key (see `createRedisRunStore`), which turns away a replica that was
 * paused past its lease. The caller owns `client`.
 */
export function createRedisOwnership(client: RedisClient, options: RedisOwnershipOptions): Ownership {
  const key = keysUnder(options.prefix);
  const leaseKey = (id: string) => key('lease', id);
  const leaseMs = options.leaseMs ?? 10_000;
  const { self } = options;
  const value = (lease: { id: string; token: number }) => `${self}|${lease.token}`;
  /** A holder that is a previous incarnation of this replica: the process died, the lease is ours to take. */
  const previousLife = (holder: string) => {
    const owner = holder.slice(0, holder.lastIndexOf('|'));
    return owner !== self && replicaOf(owner) === replicaOf(self);
  };

  return {
    self,
    shared: true,
    leaseMs,
    async acquire(id) {
      const held = await client.get(leaseKey(id));
      const replaceable = held && previousLife(held) ? held : '';
      if (held && !replaceable) return undefined;
      const token = await client.eval(ACQUIRE, {
        keys: [leaseKey(id), fenceKey(options.prefix, id)],
        arguments: [self, String(leaseMs), replaceable, String(FENCE_TTL_MS)],
      });
      return typeof token === 'number' ? { id, token } : undefined;
    },
    async renew(leases) {
      if (leases.length === 0) return [];
      const lost = (await client.eval(RENEW, {
        keys: leases.map((l) => leaseKey(l.id)),
        arguments: [String(leaseMs), ...leases.map(value)],
      })) as number[];
      return lost.map((i) => (leases[i - 1] as { id: string }).id);
    },
    async release(lease, finished) {
      await client.eval(RELEASE, {
        keys: [leaseKey(lease.id), fenceKey(options.prefix, lease.id)],
        arguments: [value(lease), finished ? String(60 * 60 * 1000) : ''],
      });
    },
    async holders(ids) {
      if (ids.length === 0) return [];
      const held = await client.mGet(ids.map(leaseKey));
      return held.map((h) => (h == null || previousLife(h) ? undefined : h.slice(0, h.lastIndexOf('|'))));
    },
  };
}

const Envelope = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  command: z.custom<RootCommand>((v) => typeof v === 'object' && v !== null && 'type' in v && 'rootId' in v),
});
const ReplyEnvelope = z.object({
  id: z.string(),
  to: z.string(),
  reply: z.custom<CommandReply>((v) => typeof v === 'object' && v !== null && 'ok' in v),
});

export interface RedisCommandBusOptions extends RedisKeyOptions {
  /** This process's owner name (replies come back to it). */
  self: string;
  /** How long `request` waits for the owner. @default 5000 */
  timeoutMs?: number;
  connectTimeoutMs?: number;
}

/** The owner did not answer in time: it may be dying; its lease will lapse and another replica take over. */
export class CommandTimeoutError extends Error {
  override readonly name = 'CommandTimeoutError';
}

/**
 * Commands between replicas over Redis pub/sub: requests on `<prefix>commands`, replies on
 * `<prefix>command-replies`, each message naming its recipient (a replica's owner name). Every
 * replica listens on both through one subscriber connection.
 */
export function createRedisCommandBus(client: RedisClient, options: RedisCommandBusOptions): CommandBus {
  const key = keysUnder(options.prefix);
  const requests = key('commands');
  const replies = key('command-replies');
  const timeoutMs = options.timeoutMs ?? 5_000;
  const waiting = new Map<string, (reply: CommandReply) => void>();
  let handler: ((command: RootCommand) => Promise<CommandReply>) | undefined;
  let counter = 0;
  let subscriber: Promise<RedisClient> | undefined;

  const onRequest = (message: string) => {
    const parsed = Envelope.safeParse(safeJson(message));
    if (!parsed.success || parsed.data.to !== options.self || !handler) return;
    const { id, from, command } = parsed.data;
    handler(command)
      .catch((error: unknown): CommandReply => ({ ok: false, code: 'FAILED', message: String(error) }))
      .then((reply) => client.publish(replies, JSON.stringify({ id, to: from, reply })))
      .catch(() => {});
  };
  const onReply = (message: string) => {
    const parsed = ReplyEnvelope.safeParse(safeJson(message));
    if (!parsed.success || parsed.data.to !== options.self) return;
    waiting.get(parsed.data.id)?.(parsed.data.reply);
  };

  function subscribed(): Promise<RedisClient> {
    subscriber ??= (async () => {
      const connection = client.duplicate();
      connection.on('error', () => {});
      await connectWithin(connection, 'the command connection', options.connectTimeoutMs ?? 5_000);
      await connection.subscribe(requests, onRequest);
      await connection.subscribe(replies, onReply);
      return connection;
    })().catch((error: unknown) => {
      subscriber = undefined;
      throw error;
    });
    return subscriber;
  }

  return {
    async request(to, command) {
      await subscribed();
      counter += 1;
      const id = `${options.self}#${counter}`;
      let timer: NodeJS.Timeout | undefined;
      const reply = new Promise<CommandReply>((resolve, reject) => {
        waiting.set(id, resolve);
        timer = setTimeout(
          () => reject(new CommandTimeoutError(`the replica ${to} did not answer within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await client.publish(requests, JSON.stringify({ id, from: options.self, to, command }));
        return await reply;
      } finally {
        clearTimeout(timer);
        waiting.delete(id);
      }
    },
    async serve(next) {
      handler = next;
      await subscribed();
    },
    async close() {
      handler = undefined;
      const pending = subscriber;
      subscriber = undefined;
      const connection = await pending?.catch(() => undefined);
      if (connection?.isOpen) await connection.close();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
