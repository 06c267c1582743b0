/** Workflows completed per second with 1, 2 and 3 server replicas on one Redis (issue #6). */
import { cpus, loadavg } from 'node:os';
import { type Cluster, type ClusterProcess, type Ended, machineBusyMs, startCluster } from '../lib/replica-cluster';
import type { Suite } from '../lib/suite';
import { percentile } from '../lib/timing';

const LEVELS = [1, 2, 3] as const;
const WORKERS = 2;
/** Calls one worker runs at once: more than every replica's workflows can ask for at once. */
const WORKER_POOL = 128;
const POLL_MS = 100;

interface Shape {
  /** Workflows measured per level; a multiple of 6 x perReplica, so every level ends on a full wave. */
  workflows: number;
  /** REVO_MAX_WORKFLOWS of each replica, and what the client keeps in flight on each. */
  perReplica: number;
  modelDelayMs: number;
}

interface Driven {
  workflowsPerSecond: number;
  wallMs: number;
  /** Each workflow from its creation to its end, by the server's clock. */
  runMs: { p50: number; p99: number };
  /** CPU of every process of the cluster (this one included) over the wall time, as a share of all cores. */
  clusterBusy: number;
  /** The same of everything else on the machine (other people's work on a shared box). */
  otherBusy: number;
  /** Workflows each replica ran. */
  perReplica: number[];
  /** runWorkflow answered UNAVAILABLE (the replica at its limit); the workflow was started again later. */
  refused: number;
  notCompleted: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `count` workflows on `servers`, keeping at most `perReplica` in flight on each (the free
 * slots filled in turn), and polls each replica for the end of its own, until all have ended.
 */
async function drive(cluster: Cluster, servers: ClusterProcess[], count: number, perReplica: number): Promise<Driven> {
  const open = servers.map(() => new Set<string>());
  const ran = servers.map(() => 0);
  const ended: Ended[] = [];
  let toStart = count;
  let refused = 0;
  let turn = 0;
  const cpuBefore = { cluster: cluster.cpuMs(), machine: machineBusyMs() };
  const first = Date.now();
  while (ended.length < count) {
    const free = open.map((runs) => perReplica - runs.size);
    const starts: Promise<void>[] = [];
    while (toStart > 0 && free.some((n) => n > 0)) {
      const i = turn++ % servers.length;
      if ((free[i] as number) <= 0) continue;
      free[i] = (free[i] as number) - 1;
      toStart -= 1;
      const task = `Add rate limiting to service #${count - toStart}`;
      starts.push(
        cluster.runWorkflow(servers[i] as ClusterProcess, task).then((runId) => {
          if (runId) open[i]?.add(runId);
          else {
            refused += 1;
            toStart += 1;
          }
        }),
      );
    }
    await Promise.all(starts);
    await sleep(POLL_MS);
    const views = await Promise.all(servers.map((server, i) => cluster.ended(server, [...(open[i] ?? [])])));
    for (const [i, done] of views.entries()) {
      for (const view of done) open[i]?.delete(view.runId);
      ran[i] = (ran[i] as number) + done.length;
      ended.push(...done);
    }
  }
  const wallMs = Math.max(...ended.map((e) => e.endedAt)) - first;
  const cpuMs = cluster.cpuMs() - cpuBefore.cluster;
  // Over the whole loop (the last poll included), so the shares compare like with like.
  const loopMs = Date.now() - first;
  const machineMs = machineBusyMs() - cpuBefore.machine;
  const runMs = ended.map((e) => e.ms);
  return {
    workflowsPerSecond: (count / wallMs) * 1000,
    wallMs,
    runMs: { p50: percentile(runMs, 50), p99: percentile(runMs, 99) },
    clusterBusy: cpuMs / (loopMs * cpus().length),
    otherBusy: Math.max(0, machineMs - cpuMs) / (loopMs * cpus().length),
    perReplica: ran,
    refused,
    notCompleted: ended.filter((e) => e.status !== 'COMPLETED').length,
  };
}

const pct = (share: number) => Math.round(share * 1000) / 10;

export const scaleOut: Suite = {
  name: 'scale-out',
  measures:
    'reVo as processes on one redis-server: 1, then 2, then 3 `revo serve` replicas (REVO_ROLES=server), ' +
    'model calls on 2 worker processes (REVO_ROLES=worker, 128 calls each at once) against a fake Ollama ' +
    'that answers every call after a fixed 750 ms (--quick: 300). Each replica admits 25 workflows at once ' +
    '(REVO_MAX_WORKFLOWS; --quick 10) and the client keeps that many in flight on each, starting a fixed ' +
    '3-step plan (2 parallel calls, then 1) through runWorkflow in turn over the replicas and polling each ' +
    'for its own runs every 100 ms; 300 workflows per level (--quick 60), after a warm-up wave. workflows/s = ' +
    'count / (last endedAt - first request). Why this shape: the machine has few cores (the row says how ' +
    'many), and every process shares them, so CPU-bound runs could not show more than the cores; with ' +
    "I/O-bound runs (as with real models) and a fixed admission per replica, one replica's capacity is what " +
    'limits, and the ratio (ideal 2 and 3) measures how well replicas share the work: leases, Redis round ' +
    "trips and the calls stream, with the CPU rows showing whether the cores were the limit (the cluster's " +
    'processes, this one included, and, apart, whatever else ran on the machine). It is not cluster scaling ' +
    'on separate machines. No peer: LangGraph.js has no multi-process runtime.',
  async run({ quick, log }) {
    const shape: Shape = quick
      ? { workflows: 60, perReplica: 10, modelDelayMs: 300 }
      : { workflows: 300, perReplica: 25, modelDelayMs: 750 };
    const loadBefore = loadavg()[0];
    const cluster = await startCluster({ modelDelayMs: shape.modelDelayMs });
    try {
      const admission = { REVO_MAX_WORKFLOWS: String(shape.perReplica) };
      const [first, ...workers] = await Promise.all([
        cluster.start('server', 'server-0', admission),
        ...Array.from({ length: WORKERS }, (_, i) =>
          cluster.start('worker', `worker-${i}`, { REVO_WORKER_POOL: String(WORKER_POOL) }),
        ),
      ]);
      const servers = [first as ClusterProcess];
      const levels: (Driven & { replicas: number })[] = [];
      for (const replicas of LEVELS) {
        while (servers.length < replicas) {
          servers.push(await cluster.start('server', `server-${servers.length}`, admission));
        }
        // One full wave first: a new replica compiles and warms up before the clock runs.
        await drive(cluster, servers, replicas * shape.perReplica, shape.perReplica);
        const level = { replicas, ...(await drive(cluster, servers, shape.workflows, shape.perReplica)) };
        levels.push(level);
        log(
          `scale-out: ${replicas} replica(s): ${level.workflowsPerSecond.toFixed(1)} workflows/s, run p50 ` +
            `${level.runMs.p50.toFixed(0)} ms, CPU ${pct(level.clusterBusy)}% cluster + ${pct(level.otherBusy)}% others, per replica ${level.perReplica.join('/')}`,
        );
      }
      const [one, two, three] = levels;
      if (!one || !two || !three) throw new Error('scale-out: a level did not run');
      const cores = cpus().length;
      return {
        rows: [
          { metric: 'CPU cores, shared by every process', revo: cores },
          { metric: 'workflows/s, 1 replica', revo: one.workflowsPerSecond },
          {
            metric: 'workflows/s, 2 replicas (ratio 2 vs 1)',
            revo: two.workflowsPerSecond,
            ratio: two.workflowsPerSecond / one.workflowsPerSecond,
          },
          {
            metric: 'workflows/s, 3 replicas (ratio 3 vs 1)',
            revo: three.workflowsPerSecond,
            ratio: three.workflowsPerSecond / one.workflowsPerSecond,
          },
          { metric: 'run time p50, ms, 1 replica', revo: one.runMs.p50 },
          { metric: 'run time p50, ms, 3 replicas', revo: three.runMs.p50 },
          { metric: 'CPU busy % of all cores: cluster, 1 replica', revo: pct(one.clusterBusy) },
          { metric: 'CPU busy % of all cores: cluster, 3 replicas', revo: pct(three.clusterBusy) },
          {
            metric: 'CPU busy % of all cores: other processes (most)',
            revo: pct(Math.max(...levels.map((l) => l.otherBusy))),
          },
          {
            metric: `workflows not completed, of ${shape.workflows * LEVELS.length}`,
            revo: levels.reduce((sum, l) => sum + l.notCompleted, 0),
          },
        ],
        data: {
          peer: 'none: LangGraph.js has no multi-process runtime',
          cores,
          loadAverage1m: { before: loadBefore, after: loadavg()[0] },
          ...shape,
          workers: workers.length,
          workerPool: WORKER_POOL,
          pollMs: POLL_MS,
          levels,
          ratios: {
            twoVsOne: two.workflowsPerSecond / one.workflowsPerSecond,
            threeVsOne: three.workflowsPerSecond / one.workflowsPerSecond,
          },
        },
      };
    } finally {
      await cluster.close();
    }
  },
};
