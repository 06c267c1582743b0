import { createMemoryCallJournal, createMemoryEventBus, createMemoryRunStore } from '@revo/actors';
import { type AnyActorRef, waitFor } from 'xstate';
import { createRevoApi } from '../api/revo-api';
import { loadEnv } from '../env';
import { createRevoYoga } from '../http/create-yoga';
import { type ActorHostPorts, createActorHost } from '../runtime/actor-host';
import { type RuntimeOverrides, createRuntime } from '../runtime/create-runtime';

export interface GqlResult<T> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * The API in process, for resolver tests through `yoga.fetch()`: offline model (or the given
 * overrides), memory state unless ports are given.
 */
export async function createTestApi(
  overrides: RuntimeOverrides & { settings?: Record<string, string>; ports?: Partial<ActorHostPorts> } = {},
) {
  const env = loadEnv({ REVO_OFFLINE: '1', REVO_ANALYTICS: '0', ...overrides.settings });
  const runtime = await createRuntime(env, overrides);
  const log: string[] = [];
  const ports: ActorHostPorts = {
    store: createMemoryRunStore(),
    bus: createMemoryEventBus(),
    journal: createMemoryCallJournal(),
    log: (line) => log.push(line),
    ...overrides.ports,
  };
  const host = createActorHost(runtime, ports);
  const api = createRevoApi(runtime, host);
  const yoga = createRevoYoga(api, env, (line) => log.push(line));
  return {
    runtime,
    host,
    api,
    yoga,
    ports,
    log,
    async query<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) {
      const response = await yoga.fetch('http://revo.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as Omit<GqlResult<T>, 'status'>) } as GqlResult<T>;
    },
    /** Resolves once the run has ended or waits for a person, with everything written. */
    async settled(runId: string) {
      const live = host.liveWorkflow(runId);
      if (live) {
        await waitFor(live.ref as AnyActorRef, (s) => s.status !== 'active' || s.value === 'awaitingHuman', {
          timeout: 15_000,
        });
      }
      await host.flush();
      return host.currentWorkflow(runId) ?? (await api.workflow(runId));
    },
  };
}

export type TestApi = Awaited<ReturnType<typeof createTestApi>>;
