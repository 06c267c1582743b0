import { type RedisClientType, createClient } from 'redis';

/** The node-redis client the Redis adapters take (RESP3, the default modules). */
export type RedisClient = RedisClientType;

/** Prefix of every key and channel reVo writes, so one Redis can hold several deployments or tests. */
export const DEFAULT_PREFIX = 'revo:';

/** Options every Redis adapter takes. */
export interface RedisKeyOptions {
  /** Put before every key and channel; tests give each case its own. @default 'revo:' */
  prefix?: string;
}

export interface ConnectRedisOptions {
  /** How long the first connection may take, retries included, before `connectRedis` gives up. @default 5000 */
  timeoutMs?: number;
  /** Hears connection errors after start-up (the client is reconnecting meanwhile). @default console.warn */
  onError?: (error: Error) => void;
}

/** Hides the password of a `redis://user:password@host` URL for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * Connects `client`, or destroys it and throws one readable error naming `label` when the
 * connection is not up within `timeoutMs`. node-redis retries a refused first connection
 * forever by default; a process that cannot reach Redis at start-up should say so and stop.
 */
export async function connectWithin<C extends RedisClient>(client: C, label: string, timeoutMs: number): Promise<C> {
  let lastError: unknown;
  // node-redis emits 'error' on every failed attempt; without a listener that would crash the process.
  const onError = (error: unknown) => {
    lastError = error;
  };
  client.on('error', onError);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
  });
  const connecting = client.connect();
  // Destroying the client below makes this reject too; that rejection is already accounted for.
  connecting.catch(() => {});
  try {
    await Promise.race([connecting, deadline]);
    return client;
  } catch (error) {
    // Kept for good, unlike `onError`: node-redis (6.3) still emits 'error' on a client it no
    // longer holds open when a socket it listens to fails. No experiment made that happen after
    // destroy(), but should it, an 'error' nobody listens to would crash the process.
    client.on('error', () => {});
    client.destroy();
    const cause = lastError ?? error;
    const why = cause instanceof Error ? cause.message || cause.name : String(cause);
    throw new Error(`cannot connect to Redis at ${label} within ${timeoutMs} ms: ${why}`, { cause });
  } finally {
    clearTimeout(timer);
    client.off('error', onError);
  }
}

/**
 * A connected client for `url`. The caller owns it: adapters built on it never close it.
 * Once up, the client reconnects on its own after a dropped connection.
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<RedisClient> {
  const client = createClient({ url });
  const label = redactUrl(url);
  await connectWithin(client, label, options.timeoutMs ?? 5_000);
  const onError = options.onError ?? ((error: Error) => console.warn(`redis ${label}: ${error.message}`));
  client.on('error', onError);
  return client;
}

/** Builds keys under a prefix: `keyOf('records', 'workflows')` is `revo:records:workflows`. */
export const keysUnder =
  (prefix = DEFAULT_PREFIX) =>
  (...parts: string[]): string =>
    prefix + parts.join(':');
