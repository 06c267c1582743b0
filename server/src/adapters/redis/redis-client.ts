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
  /** Hears connection errors after start-up (the client is reconnecting meanwhile). @default console.warn, each message once per 30 s */
  onError?: (error: Error) => void;
  /** Hears that the connection is up again after errors. @default console.warn */
  onReconnect?: () => void;
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
 * Once connected, `onError` hears the client's errors (it reconnects on its own meanwhile).
 *
 * One 'error' listener does both jobs and is never removed: on the client `createClient` returns,
 * node-redis (5.x, 6.3) emits on an inner object whose listener table the returned one shares only
 * until a listener is removed; after an `off()`, listeners added to the returned client are never
 * called. Kept for good, it also stops an 'error' on a client given up on from crashing the process.
 */
export async function connectWithin<C extends RedisClient>(
  client: C,
  label: string,
  timeoutMs: number,
  onError: (error: Error) => void = () => {},
): Promise<C> {
  let connected = false;
  let lastError: unknown;
  client.on('error', (error: Error) => {
    if (connected) onError(error);
    else lastError = error;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
  });
  const connecting = client.connect();
  // Destroying the client below makes this reject too; that rejection is already accounted for.
  connecting.catch(() => {});
  try {
    await Promise.race([connecting, deadline]);
    connected = true;
    return client;
  } catch (error) {
    client.destroy();
    const cause = lastError ?? error;
    const why = cause instanceof Error ? cause.message || cause.name : String(cause);
    throw new Error(`cannot connect to Redis at ${label} within ${timeoutMs} ms: ${why}`, { cause });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A connected client for `url`. The caller owns it: adapters built on it never close it.
 * Once up, the client reconnects on its own after a dropped connection, and says so to `onError`.
 */
export async function connectRedis(url: string, options: ConnectRedisOptions = {}): Promise<RedisClient> {
  const client = createClient({ url });
  const label = redactUrl(url);
  // A fresh default reporter after each reconnection, so the next loss is told at once.
  const reporter = () => options.onError ?? quietly((line) => console.warn(line), `redis ${label}`);
  let report = reporter();
  const onReconnect = options.onReconnect ?? (() => console.warn(`redis ${label}: connected again`));
  let lost = false;
  await connectWithin(client, label, options.timeoutMs ?? 5_000, (error) => {
    lost = true;
    report(error);
  });
  client.on('ready', () => {
    if (!lost) return;
    lost = false;
    report = reporter();
    onReconnect();
  });
  return client;
}

/**
 * An error reporter for a reconnecting client: each message once, then again only after
 * `everyMs` (node-redis retries every half second while Redis is away).
 */
export function quietly(log: (line: string) => void, label: string, everyMs = 30_000): (error: Error) => void {
  let last = '';
  let at = 0;
  return (error) => {
    const now = Date.now();
    if (error.message === last && now - at < everyMs) return;
    last = error.message;
    at = now;
    log(`${label}: ${error.message} (reconnecting)`);
  };
}

/** Builds keys under a prefix: `keyOf('records', 'workflows')` is `revo:records:workflows`. */
export const keysUnder =
  (prefix = DEFAULT_PREFIX) =>
  (...parts: string[]): string =>
    prefix + parts.join(':');
