/**
 * reVo as replicas for the benchmarks: a throwaway redis-server, a fake Ollama with a fixed
 * latency per call, and `revo serve` processes in the roles asked for, all on loopback and all
 * stopped by `close()`. Runs are started and watched only through the GraphQL API, as a client would.
 */
import { readFileSync } from 'node:fs';
import type { PlanInput } from '@revo/actors';
import { ANSWER_JSON } from './workload';

const MODEL = 'llama3.1:8b';

/** Two steps in parallel, then one that needs both: three model calls, two of them on the critical path. */
export const clusterPlan = {
  steps: [
    { id: 'design', agent: 'architect', instruction: 'Outline the change.' },
    { id: 'tests', agent: 'tester', instruction: 'List the tests it needs.' },
    { id: 'summary', agent: 'documenter', instruction: 'Sum up design and tests.', dependsOn: ['design', 'tests'] },
  ],
} satisfies PlanInput;

export interface ClusterOptions {
  /** Milliseconds the fake Ollama takes for every call (one streamed piece, then the end). */
  modelDelayMs: number;
  /** REVO_LEASE_MS of every server replica. @default 10000 (reVo's own default) */
  leaseMs?: number;
}

/** A workflow that has ended, as the API reports it. */
export interface Ended {
  runId: string;
  status: string;
  /** The server's wall clock (ms since the epoch) when the run ended. */
  endedAt: number;
  /** From its creation to its end, by the server's clock. */
  ms: number;
}

/** What the cluster needs of a process to talk to it: its GraphQL URL. */
interface ClusterProcessLike {
  url: string;
}

const FIELDS = 'runId status createdAt endedAt';
type View = { runId: string; status: string; createdAt: string; endedAt: string | null };

/** CPU time (user + system) a process has used so far, in ms; Linux only, NaN elsewhere. */
function cpuMsOf(pid: number): number {
  try {
    // Fields after the parenthesised command name: state is 3rd, utime 14th and stime 15th of the line.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // In clock ticks, 100 a second on Linux (USER_HZ).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU time the whole machine (every core, every process, ours or not) has been busy since boot, in ms; Linux only. */
export function machineBusyMs(): number {
  try {
    // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1, 9).map(Number) ?? [];
    return ((ticks.reduce((a, b) => a + b, 0) - (ticks[3] ?? 0) - (ticks[4] ?? 0)) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

const RUN = 'mutation Run($task: String!, $plan: PlanInput!) { runWorkflow(task: $task, plan: $plan) { runId } }';
/** At most REVO_MAX_ALIASES (30 by default) workflows per status query. */
const PER_QUERY = 30;

/** Starts Redis and the fake Ollama; processes are added with `start`. Call `close()` in a `finally`. */
export async function startCluster(options: ClusterOptions) {
  // Loaded on first use: suites that never start a cluster do not load the server.
  const [{ startRedisServer }, { startServerProcess }, { startOllamaTestServer }, { gql }] = await Promise.all([
    import('../../server/src/testing/redis-server'),
    import('../../server/src/testing/server-process'),
    import('../../server/src/testing/ollama-test-server'),
    import('../../server/src/testing/test-server'),
  ]);
  type ServerProcess = Awaited<ReturnType<typeof startServerProcess>>;
  const redis = await startRedisServer();
  const processes: ServerProcess[] = [];
  let ollama: Awaited<ReturnType<typeof startOllamaTestServer>> | undefined;
  const close = async () => {
    await Promise.allSettled(processes.map((p) => p.kill('SIGKILL')));
    await ollama?.close();
    await redis.stop();
  };
  try {
    ollama = await startOllamaTestServer({
      // The whole answer in one piece: the call takes `modelDelayMs` and almost no CPU to stream.
      models: { [MODEL]: { reply: ANSWER_JSON, pieceChars: 100_000, delayMs: options.modelDelayMs } },
    });
  } catch (error) {
    await close();
    throw error;
  }
  const common = {
    REDIS_URL: redis.url,
    OLLAMA_BASE_URL: ollama.url,
    REVO_OFFLINE: '0',
    REVO_OFFLINE_FALLBACK: '0',
    REVO_PLANNER: 'offline',
    REVO_ANALYTICS: '0',
    REVO_MODELS_GENERAL: `ollama:${MODEL}`,
    REVO_MODELS_FAST: `ollama:${MODEL}`,
    REVO_MODELS_REASONING: `ollama:${MODEL}`,
    REVO_LEASE_MS: String(options.leaseMs ?? 10_000),
  };

  /** Asks `server` once about `runIds` and returns those that have ended. */
  async function ended(server: ClusterProcessLike, runIds: readonly string[]): Promise<Ended[]> {
    const out: Ended[] = [];
    for (let i = 0; i < runIds.length; i += PER_QUERY) {
      const batch = runIds.slice(i, i + PER_QUERY);
      const fields = batch.map((id, n) => `w${n}: workflow(runId: ${JSON.stringify(id)}) { ${FIELDS} }`);
      const result = await gql<Record<string, View | null>>(server.url, `{ ${fields.join(' ')} }`);
      if (result.errors) throw new Error(`workflow status on ${server.url}: ${JSON.stringify(result.errors)}`);
      for (const view of Object.values(result.data ?? {})) {
        if (!view?.endedAt || view.status === 'RUNNING' || view.status === 'PLANNED') continue;
        const endedAt = Date.parse(view.endedAt);
        out.push({ runId: view.runId, status: view.status, endedAt, ms: endedAt - Date.parse(view.createdAt) });
      }
    }
    return out;
  }

  return {
    redis,
    /** Model calls the fake Ollama has been asked so far. */
    modelCalls: () => ollama?.requests.filter((r) => r.path === '/api/chat').length ?? 0,

    /** CPU time used so far by Redis, every process started and this one (fake Ollama and client), in ms. */
    cpuMs(): number {
      const own = process.cpuUsage();
      const pids = [redis.pid, ...processes.map((p) => p.pid)];
      return pids.reduce((sum, pid) => sum + cpuMsOf(pid), (own.user + own.system) / 1000);
    },

    /** Starts `revo serve` with `roles` as replica `id` and waits until it is ready. */
    async start(roles: string, id: string, settings: Record<string, string> = {}): Promise<ServerProcess> {
      const started = await startServerProcess(
        { ...common, REVO_ROLES: roles, REVO_REPLICA_ID: id, ...settings },
        { readyWithinMs: 60_000 },
      );
      processes.push(started);
      return started;
    },

    /**
     * Starts the fixed plan on `server` and returns its run id, or `undefined` when the replica
     * refuses it for now (UNAVAILABLE: it runs its REVO_MAX_WORKFLOWS).
     */
    async runWorkflow(server: ClusterProcessLike, task: string): Promise<string | undefined> {
      const result = await gql<{ runWorkflow: { runId: string } }>(server.url, RUN, { task, plan: clusterPlan });
      const runId = result.data?.runWorkflow.runId;
      if (runId) return runId;
      if (result.errors?.[0]?.extensions?.code === 'UNAVAILABLE') return undefined;
      throw new Error(`runWorkflow on ${server.url} failed: ${JSON.stringify(result.errors)}`);
    },

    ended,

    /** Asks `server` every `everyMs` until every run in `runIds` has ended; throws after `timeoutMs`. */
    async waitForEnd(server: ClusterProcessLike, runIds: readonly string[], everyMs: number, timeoutMs: number) {
      const seen = new Map<string, Ended>();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const open = runIds.filter((id) => !seen.has(id));
        for (const view of await ended(server, open)) seen.set(view.runId, view);
        if (seen.size === runIds.length) return [...seen.values()];
        if (Date.now() > deadline) {
          throw new Error(`${open.length} of ${runIds.length} workflows still running after ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
    },

    close,
  };
}

export type Cluster = Awaited<ReturnType<typeof startCluster>>;
export type ClusterProcess = Awaited<ReturnType<Cluster['start']>>;
