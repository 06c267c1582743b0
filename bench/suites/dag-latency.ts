/** Wall time of a 9-step DAG on a model with fixed latency, against the DAG's critical path. */
import { criticalPathLength } from '@revo/actors';
import { langgraphRunner } from '../lib/langgraph-runner';
import { revoRunner } from '../lib/revo-runner';
import type { Suite } from '../lib/suite';
import { sample } from '../lib/timing';
import { dagPlan, delayedModel } from '../lib/workload';

const MODEL_MS = 200;

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export const dagLatency: Suite = {
  name: 'dag-latency',
  measures:
    `an irregular 9-step DAG (4 levels) on a model that answers after ${MODEL_MS} ms (setTimeout), one ` +
    `workflow at a time. Critical path = longest chain x ${MODEL_MS} ms. Ratio = wall time / critical path ` +
    '(LangGraph shown for reference, its ratio untargeted).',
  async run({ quick, log }) {
    const model = delayedModel(MODEL_MS);
    const criticalMs = criticalPathLength(dagPlan) * MODEL_MS;
    const revo = revoRunner(model, dagPlan, { concurrency: 9 });
    const langgraph = langgraphRunner(model, dagPlan);
    const runs = quick ? 2 : 5;
    const wallMs = { revo: [] as number[], langgraph: [] as number[] };
    await revo.run();
    await langgraph.run();
    for (let i = 0; i < runs; i++) {
      wallMs.revo.push(...(await sample(revo.run, 1)));
      wallMs.langgraph.push(...(await sample(langgraph.run, 1)));
    }
    log(`dag-latency: ${runs} runs each, critical path ${criticalMs} ms`);
    const worst = { revo: Math.max(...wallMs.revo), langgraph: Math.max(...wallMs.langgraph) };
    const avg = { revo: mean(wallMs.revo), langgraph: mean(wallMs.langgraph) };
    return {
      rows: [
        { metric: 'critical path, ms', revo: criticalMs, langgraph: criticalMs },
        {
          metric: 'wall mean, ms (wall/critical)',
          revo: avg.revo,
          langgraph: avg.langgraph,
          ratio: avg.revo / criticalMs,
          target: { op: '<=', value: 1.1 },
        },
        {
          metric: 'wall worst, ms (wall/critical)',
          revo: worst.revo,
          langgraph: worst.langgraph,
          ratio: worst.revo / criticalMs,
          target: { op: '<=', value: 1.1 },
        },
        { metric: 'wall mean / critical path', revo: avg.revo / criticalMs, langgraph: avg.langgraph / criticalMs },
      ],
      data: {
        modelMs: MODEL_MS,
        steps: dagPlan.steps.length,
        criticalPathSteps: criticalPathLength(dagPlan),
        criticalMs,
        wallMs,
        ratio: {
          revoMean: avg.revo / criticalMs,
          revoWorst: worst.revo / criticalMs,
          langgraphMean: avg.langgraph / criticalMs,
        },
      },
    };
  },
};
