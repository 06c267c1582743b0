/** Per-workflow orchestration overhead of a 9-agent fan-out, conflict check and merge. */
import { langgraphRunner } from '../lib/langgraph-runner';
import { revoRunner } from '../lib/revo-runner';
import type { Suite } from '../lib/suite';
import { type Stats, sampleInterleaved, stats } from '../lib/timing';
import { fakeModel, fanoutPlan } from '../lib/workload';

/** What no orchestrator can avoid: the nine model calls and nine JSON.parse, run concurrently. */
const baseline = () =>
  Promise.all(fanoutPlan.steps.map((step) => fakeModel(step.agent, step.instruction).then((text) => JSON.parse(text))));

const asJson = (s: Stats) => ({ mean: s.mean, p50: s.p50, p99: s.p99, min: s.min, n: s.n });

export const fanoutOverhead: Suite = {
  name: 'fanout-overhead',
  measures:
    'one workflow at a time: 9 parallel agent steps on the instant fake model, conflict check, merge. ' +
    'Overhead = workflow latency minus the latency of the 9 bare fakeModel calls + JSON.parse. ' +
    'reVo: real wired machines (zod answer validation, memory journal, events stamped and dropped); ' +
    'LangGraph: StateGraph, 9 nodes from START + reconcile node, no checkpointer. Ratio = LangGraph / reVo.',
  async run({ quick, log }) {
    const revo = revoRunner(fakeModel, fanoutPlan, { concurrency: 9 });
    const langgraph = langgraphRunner(fakeModel, fanoutPlan);
    const sampling = quick
      ? { warmup: 200, iterations: 300, rounds: 3 }
      : { warmup: 300, iterations: 3000, rounds: 20 };
    log(`fanout-overhead: ${sampling.iterations} sequential workflows each, interleaved in ${sampling.rounds} rounds`);
    const samples = await sampleInterleaved({ revo: revo.run, langgraph: langgraph.run, baseline }, sampling);
    const r = stats(samples.revo?.wallMs ?? []);
    const l = stats(samples.langgraph?.wallMs ?? []);
    const b = stats(samples.baseline?.wallMs ?? []);
    const cpu = {
      revo: samples.revo?.cpuMsPerRun ?? Number.NaN,
      langgraph: samples.langgraph?.cpuMsPerRun ?? Number.NaN,
    };
    const overhead = {
      revo: { mean: r.mean - b.mean, p50: r.p50 - b.p50 },
      langgraph: { mean: l.mean - b.mean, p50: l.p50 - b.p50 },
    };
    const ratioMean = overhead.langgraph.mean / overhead.revo.mean;
    const ratioP50 = overhead.langgraph.p50 / overhead.revo.p50;
    const eventsPerRun = revo.eventsPublished() / revo.runs();
    return {
      rows: [
        { metric: 'latency mean, ms', revo: r.mean, langgraph: l.mean, ratio: l.mean / r.mean },
        { metric: 'latency p50, ms', revo: r.p50, langgraph: l.p50, ratio: l.p50 / r.p50 },
        { metric: 'latency p99, ms', revo: r.p99, langgraph: l.p99, ratio: l.p99 / r.p99 },
        {
          metric: 'CPU per workflow, ms (LG/reVo)',
          revo: cpu.revo,
          langgraph: cpu.langgraph,
          ratio: cpu.langgraph / cpu.revo,
        },
        { metric: 'baseline (9 calls + parse) mean, ms', revo: b.mean, langgraph: b.mean },
        {
          metric: 'overhead mean, ms (LG/reVo)',
          revo: overhead.revo.mean,
          langgraph: overhead.langgraph.mean,
          ratio: ratioMean,
          target: { op: '>=', value: 3 },
        },
        {
          metric: 'overhead p50, ms (LG/reVo)',
          revo: overhead.revo.p50,
          langgraph: overhead.langgraph.p50,
          ratio: ratioP50,
          target: { op: '>=', value: 3 },
        },
      ],
      data: {
        iterations: sampling.iterations,
        latencyMs: { revo: asJson(r), langgraph: asJson(l), baseline: asJson(b) },
        cpuMsPerWorkflow: cpu,
        overheadMs: overhead,
        ratio: { overheadMean: ratioMean, overheadP50: ratioP50 },
        revoEventsPerWorkflow: eventsPerRun,
      },
    };
  },
};
