/** Time for a surviving replica to take over and finish a SIGKILLed replica's workflows (issue #6). */
import { loadavg } from 'node:os';
import { type Cluster, type ClusterProcess, startCluster } from '../lib/replica-cluster';
import type { Row, Suite } from '../lib/suite';
import { median } from '../lib/timing';

/** Long enough that every workflow is still running when its replica dies: two calls on its critical path. */
const MODEL_DELAY_MS = 1_000;
const WORKER_POOL = 128;
const CALLS_PER_WORKFLOW = 3;
const LOG_POLL_MS = 10;

/** One SIGKILL of a replica in the middle of its workflows. */
interface Kill {
  /** Runs the killed replica owned (it started them). */
  orphaned: number;
  /** From the SIGKILL to the survivor logging `took over workflow <runId>`, per orphaned run, in order. */
  takenOverMs: number[];
  /** From the SIGKILL to the last orphaned run's end (its endedAt, by the survivor's clock). */
  completedMs: number;
  notCompleted: number;
  /** Model calls asked of Ollama beyond one per step: a call paid twice. */
  extraCalls: number;
}

interface Round {
  leaseMs: number;
  workflows: number;
  kills: Kill[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the survivor's log until it has taken over every run in `runIds`; ms after `killedAt` for each. */
async function takeovers(survivor: ClusterProcess, runIds: readonly string[], killedAt: number, timeoutMs: number) {
  const at = new Map<string, number>();
  while (at.size < runIds.length) {
    const log = survivor.stderr();
    for (const id of runIds) {
      if (!at.has(id) && log.includes(`took over workflow ${id}`)) at.set(id, Date.now() - killedAt);
    }
    if (Date.now() - killedAt > timeoutMs) {
      throw new Error(
        `takeover: ${runIds.length - at.size} of ${runIds.length} runs not taken over in ${timeoutMs} ms`,
      );
    }
    await sleep(LOG_POLL_MS);
  }
  return [...at.values()].sort((a, b) => a - b);
}

/** `workflows` started on `victim` and `survivor` in turn; `victim` killed once all are in their first step. */
async function killOnce(
  cluster: Cluster,
  victim: ClusterProcess,
  survivor: ClusterProcess,
  workflows: number,
  leaseMs: number,
): Promise<Kill> {
  const callsBefore = cluster.modelCalls();
  const runIds = await Promise.all(
    Array.from({ length: workflows }, async (_, i) => {
      const runId = await cluster.runWorkflow(i % 2 === 0 ? victim : survivor, `Add rate limiting to service #${i}`);
      if (!runId) throw new Error('takeover: a replica refused a workflow');
      return runId;
    }),
  );
  const orphans = runIds.filter((_, i) => i % 2 === 0);
  // Every workflow has asked for its first two calls: all of them are in the middle of a step.
  while (cluster.modelCalls() - callsBefore < 2 * workflows) await sleep(LOG_POLL_MS);
  const killedAt = Date.now();
  await victim.kill('SIGKILL');
  const takenOverMs = await takeovers(survivor, orphans, killedAt, 3 * leaseMs + 30_000);
  const ended = await cluster.waitForEnd(survivor, runIds, 50, 60_000);
  const orphanEnds = ended.filter((e) => orphans.includes(e.runId)).map((e) => e.endedAt);
  return {
    orphaned: orphans.length,
    takenOverMs,
    completedMs: Math.max(...orphanEnds) - killedAt,
    notCompleted: ended.filter((e) => e.status !== 'COMPLETED').length,
    extraCalls: cluster.modelCalls() - callsBefore - CALLS_PER_WORKFLOW * workflows,
  };
}

/**
 * Two replicas and a worker with `leaseMs`, and `kills` times: a random wait of up to a lease (so
 * the kill falls anywhere between the victim's renewals and the survivor's scans), workflows
 * started, the victim killed, and a new victim started for the next.
 */
async function round(leaseMs: number, kills: number, workflows: number, log: (line: string) => void) {
  const cluster = await startCluster({ modelDelayMs: MODEL_DELAY_MS, leaseMs });
  try {
    const victimId = 'server-a';
    const [first, survivor] = (await Promise.all([
      cluster.start('server', victimId),
      cluster.start('server', 'server-b'),
      cluster.start('worker', 'worker', { REVO_WORKER_POOL: String(WORKER_POOL) }),
    ])) as [ClusterProcess, ClusterProcess, ClusterProcess];
    let victim = first;
    const result: Round = { leaseMs, workflows, kills: [] };
    for (let k = 0; k < kills; k++) {
      if (k > 0) victim = await cluster.start('server', victimId);
      await sleep(Math.random() * leaseMs);
      const kill = await killOnce(cluster, victim, survivor, workflows, leaseMs);
      result.kills.push(kill);
      log(
        `takeover: lease ${leaseMs} ms: ${kill.orphaned} runs taken over ${kill.takenOverMs[0]}-` +
          `${kill.takenOverMs.at(-1)} ms after SIGKILL, completed at ${kill.completedMs} ms`,
      );
    }
    return result;
  } finally {
    await cluster.close();
  }
}

const rowsOf = (r: Round): Row[] => {
  const of = (pick: (kill: Kill) => number) => median(r.kills.map(pick));
  const all = of((k) => k.takenOverMs.at(-1) ?? Number.NaN);
  const orphaned = r.kills[0]?.orphaned ?? 0;
  const label = `lease ${r.leaseMs} ms${r.kills.length > 1 ? `, median of ${r.kills.length} kills` : ''}`;
  return [
    { metric: `${label}: first run taken over, ms after SIGKILL`, revo: of((k) => k.takenOverMs[0] ?? Number.NaN) },
    { metric: `${label}: all ${orphaned} runs taken over, ms (ratio to lease)`, revo: all, ratio: all / r.leaseMs },
    { metric: `${label}: all ${orphaned} runs completed, ms after SIGKILL`, revo: of((k) => k.completedMs) },
  ];
};

export const takeover: Suite = {
  name: 'takeover',
  measures:
    'two `revo serve` replicas (REVO_ROLES=server) and a worker on one redis-server, a fake Ollama that ' +
    `answers every call after ${MODEL_DELAY_MS} ms. After a random wait of up to a lease, 50 workflows ` +
    '(--quick 20) of a fixed 3-step plan are started on the two in turn; once every workflow is in its first ' +
    'step, one replica gets SIGKILL. Times from the kill to the survivor logging `took over workflow <runId>` ' +
    "(its stderr, read every 10 ms) for the first and the last of the dead replica's runs, and to the last of " +
    'them ending (its endedAt). REVO_LEASE_MS 2000 (3 kills, a new replica started after each; medians) and ' +
    'the default 10000 (1 kill); --quick: 2000, 1 kill. Expect the lease to lapse 2/3 to 1 lease after the ' +
    'kill (renewals every lease/3), the next scan within lease/2, then the restore: 0.67 to 1.5 leases; ' +
    "completion adds the rest of the run (the summary step's call). No peer: LangGraph.js has no replicas.",
  async run({ quick, log }) {
    const workflows = quick ? 20 : 50;
    const plan = quick
      ? [{ leaseMs: 2_000, kills: 1 }]
      : [
          { leaseMs: 2_000, kills: 3 },
          { leaseMs: 10_000, kills: 1 },
        ];
    const loadBefore = loadavg()[0];
    const rounds: Round[] = [];
    for (const { leaseMs, kills } of plan) rounds.push(await round(leaseMs, kills, workflows, log));
    const kills = rounds.flatMap((r) => r.kills);
    return {
      rows: [
        ...rounds.flatMap(rowsOf),
        {
          metric: `workflows not completed, of ${workflows * kills.length}`,
          revo: kills.reduce((sum, k) => sum + k.notCompleted, 0),
        },
        {
          metric: `model calls beyond ${CALLS_PER_WORKFLOW} a workflow (paid twice)`,
          revo: kills.reduce((sum, k) => sum + k.extraCalls, 0),
        },
      ],
      data: {
        peer: 'none: LangGraph.js has no replicas',
        loadAverage1m: { before: loadBefore, after: loadavg()[0] },
        modelDelayMs: MODEL_DELAY_MS,
        rounds,
      },
    };
  },
};
