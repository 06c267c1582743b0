/** Workflows started per second through the GraphQL API, against the same workflows started in-process. */
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Plan, type PlanInput } from '@revo/actors';
import {
  type ApiServer,
  type ClientWorker,
  runClientWorker,
  startApiServer,
  startClientWorker,
} from '../lib/api-server';
import { revoRunner } from '../lib/revo-runner';
import type { Suite } from '../lib/suite';
import { collectGarbage, median, nowMs, percentile } from '../lib/timing';
import { fakeModel } from '../lib/workload';

const ROLE = 'mutation-throughput';
const TASK = 'Review the change.';

/** Three steps: two in parallel, then one that needs both; as the API takes it (PlanInput). */
const plan = {
  steps: [
    { id: 'a', agent: 'architect', instruction: 'Review the design.' },
    { id: 'b', agent: 'code-generator', instruction: 'Review the code.' },
    { id: 'c', agent: 'documenter', instruction: 'Sum up both reviews.', dependsOn: ['a', 'b'] },
  ],
} satisfies PlanInput;

const RUN = `mutation Run($task: String!, $plan: PlanInput!) {
  runWorkflow(task: $task, plan: $plan) { runId status }
}`;

interface Setup {
  role: typeof ROLE;
  url: string;
}

type ToWorker = { type: 'run'; count: number; clients: number } | { type: 'stop' };

type FromWorker = {
  type: 'ran';
  /** Per mutation, from sending the request to reading the whole response. */
  latencyMs: Float64Array;
  firstSentMs: number;
  lastAnsweredMs: number;
  failures: number;
  errors: string[];
};

/** The worker: `clients` loops, each posting `runWorkflow` on its keep-alive socket until `count` are sent. */
async function mutationClients(setup: Setup, port: NonNullable<typeof parentPort>) {
  const body = JSON.stringify({ query: RUN, variables: { task: TASK, plan } });
  const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
  // node:http, not fetch: against a bare server on this machine fetch managed a tenth of its requests/s.
  const agent = new Agent({ keepAlive: true });
  const post = () =>
    new Promise<string | undefined>((resolve, reject) => {
      const req = request(setup.url, { method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let runId: string | undefined;
          try {
            runId = (JSON.parse(text) as { data?: { runWorkflow?: { runId?: string } } }).data?.runWorkflow?.runId;
          } catch {
            runId = undefined;
          }
          resolve(runId ? undefined : `HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  const run = async (count: number, clients: number) => {
    const latencyMs = new Float64Array(count);
    const errors: string[] = [];
    let sent = 0;
    let failures = 0;
    const firstSentMs = nowMs();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (sent < count) {
          const index = sent++;
          const start = nowMs();
          const error = await post().catch((e: unknown) => String(e));
          latencyMs[index] = nowMs() - start;
          if (error === undefined) continue;
          failures += 1;
          if (errors.length < 5) errors.push(error);
        }
      }),
    );
    const result: FromWorker = { type: 'ran', latencyMs, firstSentMs, lastAnsweredMs: nowMs(), failures, errors };
    port.postMessage(result, [latencyMs.buffer]);
  };
  await new Promise<void>((resolve, reject) => {
    port.on('message', (message: ToWorker) => {
      if (message.type === 'stop') {
        agent.destroy();
        return resolve();
      }
      run(message.count, message.clients).catch(reject);
    });
  });
}

/** Counts workflows that end on the server, from the host's own event stream. */
function endings(server: ApiServer) {
  let ended = 0;
  let failed = 0;
  let lastEndedMs = 0;
  let waiter: { count: number; resolve: () => void } | undefined;
  const stop = server.actorHost.publisher.listen((event) => {
    if (event.type !== 'workflow.completed' && event.type !== 'workflow.failed' && event.type !== 'workflow.cancelled')
      return;
    ended += 1;
    if (event.type !== 'workflow.completed') failed += 1;
    lastEndedMs = nowMs();
    if (waiter && ended >= waiter.count) waiter.resolve();
  });
  return {
    stop,
    /** Resolves once `count` workflows ended since the last call; returns when the last did and how many failed. */
    async next(count: number): Promise<{ lastEndedMs: number; failed: number }> {
      if (ended < count) await new Promise<void>((resolve) => (waiter = { count, resolve }));
      waiter = undefined;
      const out = { lastEndedMs, failed };
      ended -= count;
      failed = 0;
      return out;
    },
  };
}

/** `count` mutations from the worker's clients; until every workflow they started has ended. */
async function throughApi(
  clients: ClientWorker<FromWorker>,
  ended: ReturnType<typeof endings>,
  count: number,
  concurrency: number,
) {
  collectGarbage();
  clients.post({ type: 'run', count, clients: concurrency });
  const ran = await clients.next('ran');
  // Failures are counted and shown, not thrown: a benchmark reports what it saw.
  const done = await ended.next(count - ran.failures);
  return {
    mutationsPerSecond: (count / (ran.lastAnsweredMs - ran.firstSentMs)) * 1000,
    workflowsPerSecond: (count / (Math.max(done.lastEndedMs, ran.lastAnsweredMs) - ran.firstSentMs)) * 1000,
    latencyMs: ran.latencyMs,
    failedMutations: ran.failures,
    failedWorkflows: done.failed,
    errors: ran.errors,
  };
}

/** `count` workflows of the core started at once, without the API; workflows per second until all complete. */
async function inProcess(run: () => Promise<unknown>, count: number): Promise<number> {
  collectGarbage();
  const start = nowMs();
  await Promise.all(Array.from({ length: count }, () => run()));
  return (count / (nowMs() - start)) * 1000;
}

export const mutationThroughput: Suite = {
  name: 'mutation-throughput',
  measures:
    'a real server on 127.0.0.1 in this process (memory state, the instant fake model); 50 HTTP ' +
    'clients (keep-alive node:http sockets in a worker thread) post runWorkflow with a fixed 3-step ' +
    'plan (a, b, then c after both) until 2,000 are sent (--quick: 500). mutations/s = mutations / ' +
    '(last response - first request); workflows completed/s = mutations / (last workflow end seen by ' +
    'the host - first request). Peer: not LangGraph (it has no server) but the reVo core itself: the ' +
    'same plan, options and model, all workflows started at once in-process by revo-runner (no HTTP, ' +
    'GraphQL, actor host, store or event bus). Ratio = API / in-process: 1 would mean the API costs ' +
    'nothing. Repetitions alternate the two (3, --quick 1); medians.',
  async run({ quick, log }) {
    const count = quick ? 500 : 2000;
    const concurrency = 50;
    const repetitions = quick ? 1 : 3;
    const loadBefore = loadavg()[0];
    const server = await startApiServer(fakeModel);
    const ended = endings(server);
    let clients: ClientWorker<FromWorker> | undefined;
    try {
      const setup: Setup = { role: ROLE, url: server.url };
      clients = startClientWorker<FromWorker>(import.meta.url, setup);
      const core = revoRunner(fakeModel, Plan.parse(plan), server.runtime.options);
      // A full-size round each first: JIT, sockets and heap reach their working state before the clock runs.
      await throughApi(clients, ended, count, concurrency);
      await inProcess(core.run, count);
      const api: Awaited<ReturnType<typeof throughApi>>[] = [];
      const local: number[] = [];
      for (let rep = 0; rep < repetitions; rep++) {
        const viaApi = await throughApi(clients, ended, count, concurrency);
        api.push(viaApi);
        local.push(await inProcess(core.run, count));
        log(
          `mutation-throughput: ${count} via API ${viaApi.mutationsPerSecond.toFixed(0)} mutations/s, ` +
            `${viaApi.workflowsPerSecond.toFixed(0)} workflows/s; in-process ${local.at(-1)?.toFixed(0)} workflows/s`,
        );
      }
      clients.post({ type: 'stop' });
      await clients.close();
      clients = undefined;

      const latencies = api.flatMap((r) => Array.from(r.latencyMs));
      const failed = {
        mutations: api.reduce((sum, r) => sum + r.failedMutations, 0),
        workflows: api.reduce((sum, r) => sum + r.failedWorkflows, 0),
      };
      const errors = [...new Set(api.flatMap((r) => r.errors))];
      if (errors.length > 0) log(`mutation-throughput: mutations failed: ${errors.join(' | ')}`);
      const mutationsPerSecond = median(api.map((r) => r.mutationsPerSecond));
      const workflowsPerSecond = median(api.map((r) => r.workflowsPerSecond));
      const inProcessPerSecond = median(local);
      const latency = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), n: latencies.length };
      return {
        rows: [
          { metric: `mutations/s, ${concurrency} HTTP clients`, revo: mutationsPerSecond },
          { metric: 'mutation latency p50, ms', revo: latency.p50 },
          { metric: 'mutation latency p99, ms', revo: latency.p99 },
          {
            metric: 'workflows completed/s via API (API/in-process)',
            revo: workflowsPerSecond,
            ratio: workflowsPerSecond / inProcessPerSecond,
          },
          { metric: 'workflows completed/s in-process core, no API', revo: inProcessPerSecond },
          {
            metric: `mutations + workflows failed, of ${count * repetitions}`,
            revo: failed.mutations + failed.workflows,
          },
        ],
        data: {
          peer: 'reVo core in-process without the API (revo-runner), not LangGraph',
          loadAverage1m: { before: loadBefore, after: loadavg()[0] },
          count,
          clients: concurrency,
          repetitions,
          mutationsPerSecond: api.map((r) => r.mutationsPerSecond),
          workflowsPerSecond: { api: api.map((r) => r.workflowsPerSecond), inProcess: local },
          mutationLatencyMs: latency,
          failed,
          errors,
          ratio: workflowsPerSecond / inProcessPerSecond,
        },
      };
    } finally {
      ended.stop();
      clients?.post({ type: 'stop' });
      await clients?.close(0);
      await server.close();
    }
  },
};

if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === ROLE) {
  const port = parentPort;
  await runClientWorker(port, () => mutationClients(workerData as Setup, port));
}
