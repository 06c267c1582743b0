import { type EventBus, FencedError, type RunEvent, channelsOf, isEphemeral } from '@revo/actors';
import { type RedisClient, type RedisKeyOptions, connectWithin, keysUnder } from './redis-client';
import { fenceKey } from './redis-run-store';

/** Append and publish only while the writer's fencing token (ARGV[1]) is the run's current one. */
const FENCED_PUBLISH = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '1' then redis.call('RPUSH', KEYS[2], ARGV[2]) end
redis.call('PUBLISH', KEYS[3], ARGV[2]) return 1`;

type Listener = (event: RunEvent) => void;

export interface RedisEventBusOptions extends RedisKeyOptions {
  /** Hears a listener's exception; delivery to the other listeners goes on. @default console.error */
  onListenerError?: (error: unknown, event: RunEvent) => void;
  /** How long connecting the subscriber connection may take. @default 5000 */
  connectTimeoutMs?: number;
}

/**
 * The event bus on Redis, across replicas. A durable event is appended to its run's log
 * (`<prefix>log:<runId>`, a list of JSON) and published on one channel (`<prefix>events`) in one
 * MULTI, so it is in the log before any subscriber sees it; a token delta is only published.
 *
 * The bus keeps one subscriber connection, a `duplicate()` of `client` opened on the first
 * `subscribe`, listening on that one channel, and fans events out to local listeners by
 * `channelsOf`. It stays subscribed when the last listener leaves: one idle subscription is cheap,
 * and it spares the next `subscribe` a round trip and any race with a pending unsubscribe.
 *
 * `deleteLog(runId)` drops a run's log (logs are kept until then). The caller owns `client`; `close()` closes only the
 * subscriber connection.
 */
export function createRedisEventBus(
  client: RedisClient,
  options: RedisEventBusOptions = {},
): EventBus & { deleteLog(runId: string): Promise<void> } {
  const key = keysUnder(options.prefix);
  const channel = key('events');
  const logKey = (runId: string) => key('log', runId);
  const onListenerError =
    options.onListenerError ??
    ((error: unknown, event: RunEvent) => console.error(`event listener failed on ${event.type}`, error));
  const listeners = new Map<string, Set<Listener>>();
  let subscriber: Promise<RedisClient> | undefined;
  let closed = false;

  function deliver(message: string) {
    let event: RunEvent;
    try {
      event = JSON.parse(message) as RunEvent;
    } catch {
      return; // not ours: someone else published on the channel
    }
    for (const name of channelsOf(event.runId)) {
      const set = listeners.get(name);
      if (!set) continue;
      for (const listener of set) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error, event);
        }
      }
    }
  }

  async function openSubscriber(): Promise<RedisClient> {
    const connection = client.duplicate();
    // Reconnects resubscribe by themselves; their errors are only noise here.
    connection.on('error', () => {});
    await connectWithin(connection, 'the subscriber connection', options.connectTimeoutMs ?? 5_000);
    try {
      await connection.subscribe(channel, deliver);
    } catch (error) {
      connection.destroy();
      throw error;
    }
    return connection;
  }

  return {
    async publish(event, fence) {
      const json = JSON.stringify(event);
      if (fence) {
        const done = await client.eval(FENCED_PUBLISH, {
          keys: [fenceKey(options.prefix, fence.id), logKey(event.runId), channel],
          arguments: [String(fence.token), json, isEphemeral(event) ? '0' : '1'],
        });
        if (done !== 1) throw new FencedError(fence.id);
        return;
      }
      if (isEphemeral(event)) {
        await client.publish(channel, json);
        return;
      }
      await client.multi().rPush(logKey(event.runId), json).publish(channel, json).exec();
    },
    async history(runId, afterSeq = 0) {
      const log = await client.lRange(logKey(runId), 0, -1);
      return log.map((json) => JSON.parse(json) as RunEvent).filter((event) => event.seq > afterSeq);
    },
    async subscribe(name, listener) {
      if (closed) throw new Error('the event bus is closed');
      subscriber ??= openSubscriber().catch((error: unknown) => {
        subscriber = undefined;
        throw error;
      });
      await subscriber;
      if (closed) throw new Error('the event bus is closed');
      const set = listeners.get(name) ?? new Set<Listener>();
      listeners.set(name, set);
      // Wrapped, so subscribing one function twice gives two independent subscriptions.
      const wrapped: Listener = (event) => listener(event);
      set.add(wrapped);
      return async () => {
        set.delete(wrapped);
        if (set.size === 0 && listeners.get(name) === set) listeners.delete(name);
      };
    },
    async truncate(runId, afterSeq) {
      const log = await client.lRange(logKey(runId), 0, -1);
      const cut = log.findIndex((json) => (JSON.parse(json) as RunEvent).seq > afterSeq);
      if (cut === 0) await client.del(logKey(runId));
      else if (cut > 0) await client.lTrim(logKey(runId), 0, cut - 1);
    },
    async deleteLog(runId) {
      await client.del(logKey(runId));
    },
    async close() {
      closed = true;
      listeners.clear();
      const pending = subscriber;
      subscriber = undefined;
      const connection = await pending?.catch(() => undefined);
      if (connection?.isOpen) await connection.close();
    },
  };
}
