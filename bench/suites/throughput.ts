/** Workflows per second with many workflows in flight at once. */
import { langgraphRunner } from '../lib/langgraph-runner';
import { revoRunner } from '../lib/revo-runner';
import type { Suite } from '../lib/suite';
import { collectGarbage, cpuMsSince, median, nowMs } from '../lib/timing';
import { fakeModel, fanoutPlan } from '../lib/workload';

/** Starts `count` workflows at once; returns the ms until the last one completes, and CPU ms used. */
async function batch(run: () => Promise<unknown>, count: number): Promise<{ wallMs: number; cpuMs: number }> {
  collectGarbage();
  const cpu = process.cpuUsage();
  const start = nowMs();
  await Promise.all(Array.from({ length: count }, () => run()));
  return { wallMs: nowMs() - start, cpuMs: cpuMsSince(cpu) };
}

export const throughput: Suite = {
  name: 'throughput-1000',
  measures:
    'the fan-out graph of fanout-overhead, 1,000 workflows started at once, time until all complete ' +
    '(--quick: 250, one repetition). Repetitions alternate reVo and LangGraph; a full GC precedes each. ' +
    'Ratio = reVo workflows/s / LangGraph workflows/s.',
  async run({ quick, log }) {
    const count = quick ? 250 : 1000;
    const repetitions = quick ? 1 : 3;
    const contenders = {
      revo: revoRunner(fakeModel, fanoutPlan, { concurrency: 9 }).run,
      langgraph: langgraphRunner(fakeModel, fanoutPlan).run,
    };
    // A full-size batch each first: the heap grows to its working size before the clock runs.
    for (const run of Object.values(contenders)) {
      for (let i = 0; i < 100; i++) await run();
      await batch(run, count);
    }
    const wallMs: Record<keyof typeof contenders, number[]> = { revo: [], langgraph: [] };
    const cpuMs: Record<keyof typeof contenders, number[]> = { revo: [], langgraph: [] };
    for (let rep = 0; rep < repetitions; rep++) {
      for (const [name, run] of Object.entries(contenders) as [keyof typeof contenders, () => Promise<unknown>][]) {
        const used = await batch(run, count);
        wallMs[name].push(used.wallMs);
        cpuMs[name].push(used.cpuMs);
        log(`throughput-1000: ${name} ${count} workflows in ${used.wallMs.toFixed(0)} ms`);
      }
    }
    const cpuPerWorkflow = { revo: median(cpuMs.revo) / count, langgraph: median(cpuMs.langgraph) / count };
    const perSecond = (ms: number) => (count / ms) * 1000;
    const best = { revo: perSecond(Math.min(...wallMs.revo)), langgraph: perSecond(Math.min(...wallMs.langgraph)) };
    const mid = { revo: perSecond(median(wallMs.revo)), langgraph: perSecond(median(wallMs.langgraph)) };
    return {
      rows: [
        {
          metric: `workflows/s at ${count} concurrent, best (reVo/LG)`,
          revo: best.revo,
          langgraph: best.langgraph,
          ratio: best.revo / best.langgraph,
          target: { op: '>=', value: 3 },
        },
        {
          metric: `workflows/s at ${count} concurrent, median (reVo/LG)`,
          revo: mid.revo,
          langgraph: mid.langgraph,
          ratio: mid.revo / mid.langgraph,
          target: { op: '>=', value: 3 },
        },
        {
          metric: 'CPU per workflow, median, ms (LG/reVo)',
          revo: cpuPerWorkflow.revo,
          langgraph: cpuPerWorkflow.langgraph,
          ratio: cpuPerWorkflow.langgraph / cpuPerWorkflow.revo,
        },
      ],
      data: {
        concurrent: count,
        repetitions,
        wallMs,
        cpuMs,
        workflowsPerSecond: { best, median: mid },
        ratio: { best: best.revo / best.langgraph, median: mid.revo / mid.langgraph },
      },
    };
  },
};
