import {
  type CallJournal,
  type EventBus,
  type RunStore,
  createMemoryCallJournal,
  createMemoryEventBus,
  createMemoryRunStore,
} from '@revo/actors';
import { createRedisCallJournal } from '../adapters/redis/redis-call-journal';
import { createRemoteModelPort, startCallWorker } from '../adapters/redis/redis-call-queue';
import { type RedisClient, connectRedis, redactUrl } from '../adapters/redis/redis-client';
import { createRedisEventBus } from '../adapters/redis/redis-event-bus';
import { createRedisCommandBus, createRedisOwnership } from '../adapters/redis/redis-ownership';
import { createRedisRunStore } from '../adapters/redis/redis-run-store';
import { createRedisGate } from '../adapters/redis/redis-semaphore';
import { createRevoApi } from '../api/revo-api';
import type { Env } from '../env';
import { type ActorHost, createActorHost } from '../runtime/actor-host';
import { type AnalyticsService, createAnalyticsService } from '../runtime/analytics-service';
import { createAnalyticsStreamWriter, startIngester } from '../runtime/analytics-stream';
import { createLocalGate, withGate } from '../runtime/concurrency';
import { type Runtime, type RuntimeOverrides, createRuntime, loadAgents } from '../runtime/create-runtime';
import {
  type CommandBus,
  type Ownership,
  createLocalOwnership,
  ownerName,
  replicaIdOf,
  rootOf,
} from '../runtime/ownership';
import { createRevoYoga } from './create-yoga';
import { startHealthServer } from './health-server';
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

interface StatePorts {
  store: RunStore;
  bus: EventBus;
  journal: CallJournal;
  ownership: Ownership;
  commands: CommandBus | undefined;
  redis: RedisClient | undefined;
  prefix: string;
  describe: string;
}

/**
 * Memory by default; Redis when `REDIS_URL` is set: state and events survive restarts, and
 * replicas share them (leases say which replica runs which root, commands reach its owner).
 */
async function statePorts(env: Env, self: string): Promise<StatePorts> {
  const prefix = env.REVO_REDIS_PREFIX;
  if (!env.REDIS_URL) {
    return {
      store: createMemoryRunStore(),
      bus: createMemoryEventBus(),
      journal: createMemoryCallJournal(),
      ownership: createLocalOwnership(),
      commands: undefined,
      redis: undefined,
      prefix,
      describe: 'in memory (set REDIS_URL to keep runs across restarts)',
    };
  }
  const redis = await connectRedis(env.REDIS_URL);
  return {
    store: createRedisRunStore(redis, { prefix }),
    bus: createRedisEventBus(redis, { prefix }),
    journal: createRedisCallJournal(redis, { prefix }),
    ownership: createRedisOwnership(redis, { prefix, self, leaseMs: env.REVO_LEASE_MS }),
    commands: createRedisCommandBus(redis, { prefix, self }),
    redis,
    prefix,
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
 * The roles that run beside (or instead of) the API on Redis: `worker` takes agents' model calls
 * from the calls stream; `ingester` writes the analytics stream into ClickHouse. Returns how to
 * stop them and their counters.
 */
function startBackgroundRoles(
  env: Env,
  state: StatePorts,
  runtime: Runtime | undefined,
  analytics: AnalyticsService | undefined,
  replicaId: string,
  log: (line: string) => void,
) {
  const stops: (() => Promise<void>)[] = [];
  const status: Record<string, () => unknown> = {};
  const { redis, prefix } = state;
  if (!redis) return { stop: async () => {}, status };
  if (env.REVO_ROLES.includes('worker') && runtime) {
    const limits = { models: env.REVO_MODEL_CONCURRENCY, agents: env.REVO_AGENT_CONCURRENCY };
    const worker = startCallWorker(runtime.localModels, redis, {
      prefix,
      consumer: replicaId,
      pool: env.REVO_WORKER_POOL,
      reclaimMs: env.REVO_CALL_RECLAIM_MS,
      graceMs: env.REVO_WORKER_GRACE_MS,
      gate: createRedisGate(redis, limits, { prefix, holder: replicaId, leaseMs: env.REVO_CALL_RECLAIM_MS }),
      log,
    });
    stops.push(() => worker.stop());
    status.worker = () => worker.stats();
  }
  if (env.REVO_ROLES.includes('ingester') && env.REVO_ANALYTICS) {
    if (analytics) {
      const service = analytics;
      const ingester = startIngester(
        redis,
        { record: (event) => service.record(event), flush: () => service.sink.flush() },
        { prefix, consumer: replicaId, log },
      );
      stops.push(() => ingester.stop());
      status.ingester = () => ingester.stats();
    } else {
      log('ingester: the analytics store did not open; run events wait in Redis until an ingester takes them');
    }
  }
  return {
    status,
    async stop() {
      await Promise.allSettled(stops.map((stop) => stop()));
    },
  };
}

/**
 * A process without the API (REVO_ROLES without `server`): a worker and/or an ingester on Redis,
 * with `/healthz`, `/readyz` and `/status` on PORT. `close()` finishes the work in hand.
 */
export async function startBackgroundProcess(env: Env, options: { log?: (line: string) => void } = {}) {
  const log = options.log ?? ((line: string) => console.error(line));
  const replicaId = replicaIdOf(env);
  const state = await statePorts(env, ownerName(replicaId));
  const analytics = env.REVO_ROLES.includes('ingester') ? await openAnalytics(env, log) : undefined;
  const runtime = env.REVO_ROLES.includes('worker') ? await createRuntime(env) : undefined;
  const roles = startBackgroundRoles(env, state, runtime, analytics, replicaId, log);
  let ready = true;
  const http = await startHealthServer({
    port: env.PORT,
    host: env.HOST ?? '127.0.0.1',
    ready: () => ready,
    status: () => ({
      replica: replicaId,
      roles: env.REVO_ROLES,
      ...Object.fromEntries(Object.entries(roles.status).map(([role, read]) => [role, read()])),
    }),
  });
  let closed: Promise<void> | undefined;
  return {
    url: http.url,
    port: http.port,
    replicaId,
    runtime,
    state: state.describe,
    analytics: analytics?.describe ?? 'off',
    close() {
      closed ??= (async () => {
        ready = false;
        await roles.stop();
        await http.close();
        await analytics?.close();
        await state.redis?.close();
      })();
      return closed;
    },
  };
}

export type BackgroundProcess = Awaited<ReturnType<typeof startBackgroundProcess>>;

/**
 * Starts the whole server: runtime, state (memory or Redis), actor host (restoring unfinished runs),
 * GraphQL over HTTP and WebSocket, and the other roles REVO_ROLES gives this process. On Redis,
 * agents' model calls go to workers through a stream and run events to the ingester through
 * another. `close()` shuts down gracefully: sockets closed with a reason, live runs persisted and
 * their leases let go for the next start or another replica.
 */
export async function startRevoServer(env: Env, overrides: RuntimeOverrides & { log?: (line: string) => void } = {}) {
  const log = overrides.log ?? ((line: string) => console.error(line));
  if (!env.REVO_ROLES.includes('server')) throw new Error('REVO_ROLES has no "server": start a background process');
  const host = listenHost(env);
  const replicaId = replicaIdOf(env);
  const state = await statePorts(env, ownerName(replicaId));
  const { redis } = state;
  // On Redis, only an ingester writes analytics; a server reads it when it can reach the same data.
  const readsAnalytics = !redis || env.REVO_ROLES.includes('ingester') || Boolean(env.CLICKHOUSE_URL);
  const analytics = readsAnalytics ? await openAnalytics(env, log) : undefined;
  const limits = { models: env.REVO_MODEL_CONCURRENCY, agents: env.REVO_AGENT_CONCURRENCY };
  let remote: ReturnType<typeof createRemoteModelPort> | undefined;
  // The actor host, once made: a call aborted because its run leaves this replica (closing, or
  // the root is no longer ours) runs on for the next owner, who gets its result without paying again.
  let owner: ActorHost | undefined;
  const runtime = await createRuntime(env, {
    ...(analytics ? { history: analytics.history, predictor: analytics.predictor } : {}),
    wrapModels: (local) => {
      if (!redis) return withGate(local, createLocalGate(limits));
      remote = createRemoteModelPort(local, redis, {
        prefix: state.prefix,
        abandon: (key) => owner === undefined || owner.closing || !owner.root(rootOf(key.runId)),
      });
      return remote;
    },
    ...overrides,
  });
  const actorHost = createActorHost(runtime, {
    ...state,
    commands: state.commands,
    maxWorkflows: env.REVO_MAX_WORKFLOWS,
    log,
  });
  owner = actorHost;
  const stream =
    redis && env.REVO_ANALYTICS
      ? createAnalyticsStreamWriter(redis, {
          prefix: state.prefix,
          onError: (error) => log(`analytics stream: ${error.message}`),
        })
      : undefined;
  if (stream) actorHost.publisher.listen((event) => stream.append(event));
  else if (analytics) actorHost.publisher.listen((event) => analytics.record(event));
  const roles = startBackgroundRoles(env, state, runtime, analytics, replicaId, log);
  const api = createRevoApi(
    runtime,
    actorHost,
    analytics,
    readsAnalytics
      ? undefined
      : 'this replica hands run events to the ingester and cannot read its embedded ClickHouse: ask the replica ' +
          'that runs the ingester role, or set CLICKHOUSE_URL so every replica can query ClickHouse',
  );
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
    replicaId,
    runtime,
    actorHost,
    api,
    yoga,
    restored,
    state: state.describe,
    analytics: analytics?.describe ?? (redis && env.REVO_ANALYTICS ? 'to the ingester (Redis stream)' : 'off'),
    analyticsService: analytics,
    close() {
      closed ??= (async () => {
        ready = false;
        await http.close();
        await actorHost.close();
        await stream?.close();
        await roles.stop();
        await remote?.close();
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
