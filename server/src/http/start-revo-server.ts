import {
  type CallJournal,
  type EventBus,
  type RunStore,
  createMemoryCallJournal,
  createMemoryEventBus,
  createMemoryRunStore,
} from '@revo/actors';
import { createRedisCallJournal } from '../adapters/redis/redis-call-journal';
import { type RedisClient, connectRedis, redactUrl } from '../adapters/redis/redis-client';
import { createRedisEventBus } from '../adapters/redis/redis-event-bus';
import { createRedisRunStore } from '../adapters/redis/redis-run-store';
import { createRevoApi } from '../api/revo-api';
import type { Env } from '../env';
import { createActorHost } from '../runtime/actor-host';
import { createAnalyticsService } from '../runtime/analytics-service';
import { type RuntimeOverrides, createRuntime, loadAgents } from '../runtime/create-runtime';
import { createRevoYoga } from './create-yoga';
import { startHttpServer } from './start-server';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Settings that would expose an unauthenticated API are refused, with what to do instead. */
export function listenHost(env: Pick<Env, 'HOST' | 'REVO_API_TOKEN'>): string {
  const host = env.HOST ?? (env.REVO_API_TOKEN ? '0.0.0.0' : '127.0.0.1');
  if (!env.REVO_API_TOKEN && !LOOPBACK.has(host)) {
    throw new Error(`HOST=${host} would expose the API without a token: set REVO_API_TOKEN, or listen on 127.0.0.1`);
  }
  return host;
}

/** Memory by default; Redis when `REDIS_URL` is set (state and events survive restarts, replicas share them). */
async function statePorts(env: Env): Promise<{
  store: RunStore;
  bus: EventBus;
  journal: CallJournal;
  redis: RedisClient | undefined;
  describe: string;
}> {
  if (!env.REDIS_URL) {
    return {
      store: createMemoryRunStore(),
      bus: createMemoryEventBus(),
      journal: createMemoryCallJournal(),
      redis: undefined,
      describe: 'in memory (set REDIS_URL to keep runs across restarts)',
    };
  }
  const redis = await connectRedis(env.REDIS_URL);
  const prefix = env.REVO_REDIS_PREFIX;
  return {
    store: createRedisRunStore(redis, { prefix }),
    bus: createRedisEventBus(redis, { prefix }),
    journal: createRedisCallJournal(redis, { prefix }),
    redis,
    describe: `Redis at ${redactUrl(env.REDIS_URL)} (prefix ${prefix})`,
  };
}

/** Analytics when enabled; a store that cannot open (another process holds it) is reported, not fatal. */
async function openAnalytics(env: Env, log: (line: string) => void) {
  if (!env.REVO_ANALYTICS) return undefined;
  try {
    return await createAnalyticsService(env, await loadAgents(env.REVO_AGENTS_FILE), log);
  } catch (error) {
    log(`analytics off: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Starts the whole server: runtime, state (memory or Redis), actor host (restoring unfinished runs),
 * GraphQL over HTTP and WebSocket. `close()` shuts down gracefully: sockets closed with a reason,
 * live runs persisted for the next start.
 */
export async function startRevoServer(env: Env, overrides: RuntimeOverrides & { log?: (line: string) => void } = {}) {
  const log = overrides.log ?? ((line: string) => console.error(line));
  const host = listenHost(env);
  const analytics = await openAnalytics(env, log);
  const runtime = await createRuntime(env, {
    ...(analytics ? { history: analytics.history, predictor: analytics.predictor } : {}),
    ...overrides,
  });
  const state = await statePorts(env);
  const actorHost = createActorHost(runtime, { ...state, log });
  if (analytics) actorHost.publisher.listen((event) => analytics.record(event));
  const api = createRevoApi(runtime, actorHost, analytics);
  const yoga = createRevoYoga(api, env, log);
  let ready = false;
  const http = await startHttpServer(yoga, {
    port: env.PORT,
    host,
    token: env.REVO_API_TOKEN,
    maxBodyBytes: env.REVO_MAX_BODY_BYTES,
    maxSubscriptionsPerSocket: env.REVO_MAX_SUBSCRIPTIONS_PER_SOCKET,
    ready: () => ready && !actorHost.closing,
    log,
  });
  const restored = await actorHost.restore();
  ready = true;
  let closed: Promise<void> | undefined;
  return {
    url: http.url,
    wsUrl: http.wsUrl,
    port: http.port,
    host,
    runtime,
    actorHost,
    api,
    yoga,
    restored,
    state: state.describe,
    analytics: analytics?.describe ?? 'off',
    analyticsService: analytics,
    close() {
      closed ??= (async () => {
        ready = false;
        await http.close();
        await actorHost.close();
        await state.bus.close();
        await state.store.close();
        await state.redis?.close();
        await analytics?.close();
      })();
      return closed;
    },
  };
}

export type RevoServer = Awaited<ReturnType<typeof startRevoServer>>;
