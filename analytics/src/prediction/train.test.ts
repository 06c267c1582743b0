import { Plan, criticalPathLength } from '@revo/actors';
import { describe, expect, it } from 'vitest';
import type { AgentRecentSuccess, WorkflowHistoryRow } from './features';
import { auc, brierScore } from './metrics';
import { trainPredictionModel } from './train';

/** mulberry32: a seeded PRNG, so the synthetic history is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AGENTS = [
  'architect',
  'code-generator',
  'debugger',
  'deployer',
  'documenter',
  'performance',
  'security',
  'tester',
];
const BAD_AGENT = 'debugger';
const LOCAL = 'ollama:llama3.1:8b';
const CLOUD = 'openai:gpt-4o-mini';
const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

/** The known generator's truth for one run. */
interface Truth {
  p: number;
  durationMs: number;
  costUsd: number;
}

/**
 * Ground truth: success = sigmoid(2 - 0.12 steps - 0.35 critical path - 1.5 [debugger in plan]
 * + 0.4 [category documenter]); duration = 15 s × path^0.9 × (1 + 0.08 steps) × (1.4 with debugger)
 * × lognormal(σ 0.3); cost = $0.003 × steps × cloud share × lognormal(σ 0.25); 2% cancelled.
 */
function synthetic(n: number, seed: number, prefix: string) {
  const rand = prng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const runs: WorkflowHistoryRow[] = [];
  const truth: Truth[] = [];
  for (let i = 0; i < n; i++) {
    const count = 1 + Math.floor(rand() * 10);
    const steps = Array.from({ length: count }, (_, j) => ({
      id: `s${j}`,
      agent: AGENTS[Math.floor(rand() * AGENTS.length)] as string,
      instruction: `step ${j}`,
      dependsOn: j > 0 && rand() < 0.6 ? [`s${Math.floor(rand() * j)}`] : [],
    }));
    const plan = Plan.parse({ steps });
    const path = criticalPathLength(plan);
    const bad = steps.some((s) => s.agent === BAD_AGENT) ? 1 : 0;
    const category = steps[0]?.agent ?? '';
    const mix = rand();
    const models = mix < 0.5 ? [LOCAL] : mix < 0.8 ? [LOCAL, CLOUD] : [CLOUD];
    const cloudShare = models.filter((m) => m === CLOUD).length / models.length;
    const p = sigmoid(2 - 0.12 * count - 0.35 * path - 1.5 * bad + 0.4 * (category === 'documenter' ? 1 : 0));
    const durationMs = 15_000 * path ** 0.9 * (1 + 0.08 * count) * (bad ? 1.4 : 1) * Math.exp(0.3 * normal());
    const costUsd = 0.003 * count * cloudShare * Math.exp(0.25 * normal());
    const outcome = rand() < 0.02 ? 'cancelled' : rand() < p ? 'completed' : 'failed';
    runs.push({
      run_id: `${prefix}-${i}`,
      created_at: i * 60_000,
      ended_at: i * 60_000 + durationMs,
      durationMs,
      outcome,
      costUsd,
      mode: count === 1 ? 'single' : path === 1 ? 'multi' : 'workflow',
      task_category: category,
      plan: i % 2 ? JSON.stringify(plan) : plan,
      agents: [...new Set(steps.map((s) => s.agent))],
      models,
    });
    truth.push({ p, durationMs, costUsd });
  }
  return { runs, truth };
}

const recent: AgentRecentSuccess[] = AGENTS.map((agent) =>
  agent === BAD_AGENT ? { agent, trials: 10, successes: 4 } : { agent, trials: 20, successes: 17 },
);
const train = synthetic(2_000, 7, 'train');
const test = synthetic(1_000, 99, 'test');
const model = trainPredictionModel({ runs: train.runs, agents: recent });

const scored = test.runs.flatMap((run, i) =>
  run.outcome === 'cancelled'
    ? []
    : [{ run, truth: test.truth[i] as Truth, y: run.outcome === 'completed' ? (1 as const) : (0 as const) }],
);
const predictions = scored.map(({ run }) => model.predict({ task: 'synthetic', plan: run.plan, models: run.models }));
const finished = train.runs.filter((r) => r.outcome !== 'cancelled');
const baseRate = finished.filter((r) => r.outcome === 'completed').length / finished.length;
const modelCases = scored.map(({ y }, i) => ({ p: predictions[i]?.successProbability ?? 0, y }));
const baseCases = scored.map(({ y }) => ({ p: baseRate, y }));
const oracleCases = scored.map(({ y, truth }) => ({ p: truth.p, y }));
const m = { auc: auc(modelCases), brier: brierScore(modelCases) };
const base = { auc: auc(baseCases), brier: brierScore(baseCases) };
const oracle = { auc: auc(oracleCases), brier: brierScore(oracleCases) };
const numbers = `AUC ${m.auc.toFixed(3)} vs base ${base.auc.toFixed(3)} (truth ${oracle.auc.toFixed(3)}), Brier ${m.brier.toFixed(4)} vs base ${base.brier.toFixed(4)} (truth ${oracle.brier.toFixed(4)})`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
const correlation = (a: number[], b: number[]) => {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const [ma, mb] = [mean(a), mean(b)];
  const cov = a.reduce((s, x, i) => s + (x - ma) * ((b[i] ?? 0) - mb), 0);
  const sd = (xs: number[], mx: number) => Math.sqrt(xs.reduce((s, x) => s + (x - mx) ** 2, 0));
  return cov / (sd(a, ma) * sd(b, mb));
};

describe('trainPredictionModel on a synthetic history with a known generator', () => {
  it(`ranks and calibrates success better than the base rate: ${numbers}`, () => {
    expect(model.kind).toBe('trained');
    expect(m.auc, numbers).toBeGreaterThanOrEqual(base.auc + 0.15);
    expect(m.brier, numbers).toBeLessThanOrEqual(base.brier - 0.02);
    // Near the truth it was generated from, not just better than nothing.
    expect(oracle.auc - m.auc, numbers).toBeLessThan(0.03);
  });

  it('reports a holdout that agrees with the independent test set', () => {
    const holdout = model.holdout;
    expect(holdout?.runs).toBeGreaterThan(300);
    expect(holdout?.auc).toBeGreaterThan(0.65);
    expect(holdout?.brier).toBeLessThan(holdout?.baseRateBrier ?? 0);
    expect(holdout?.calibrationError).toBeLessThan(0.08);
  });

  it('predicts durations within a third of the truth (median absolute log error)', () => {
    const done = scored.flatMap(({ y, truth }, i) =>
      y ? [{ truth, predicted: predictions[i]?.durationMs ?? 0 }] : [],
    );
    const errors = done.map(({ truth, predicted }) => Math.abs(Math.log(predicted) - Math.log(truth.durationMs)));
    const r = correlation(
      done.map((d) => Math.log(d.predicted)),
      done.map((d) => Math.log(d.truth.durationMs)),
    );
    expect(median(errors), `median |log error| ${median(errors).toFixed(3)}`).toBeLessThan(0.3);
    expect(r, `correlation of log durations ${r.toFixed(3)}`).toBeGreaterThan(0.8);
  });

  it('predicts costs that follow the steps and the cloud share', () => {
    const r = correlation(
      predictions.map((p) => p.costUsd),
      scored.map(({ truth }) => truth.costUsd),
    );
    expect(r, `correlation of costs ${r.toFixed(3)}`).toBeGreaterThan(0.8);
  });

  it('names the bad agent as a risk when the plan uses it, and not otherwise', () => {
    const plan = (agents: string[]) => ({
      steps: agents.map((agent, i) => ({ id: `s${i}`, agent, dependsOn: i ? [`s${i - 1}`] : [] })),
    });
    const withBad = model.predict({ task: 'fix the crash', plan: plan(['tester', BAD_AGENT, 'code-generator']) });
    const without = model.predict({ task: 'add a feature', plan: plan(['tester', 'code-generator']) });
    expect(withBad.risks).toContain('debugger has failed 6 of its last 10 steps');
    expect(without.risks.join('; ')).not.toContain(BAD_AGENT);
    expect(withBad.successProbability).toBeLessThan(without.successProbability);
  });

  it('learns the bad agent from the runs alone when no recent record flags it', () => {
    const blind = trainPredictionModel({ runs: train.runs, agents: [] });
    const plan = {
      steps: [
        { id: 'a', agent: BAD_AGENT, dependsOn: [] },
        { id: 'b', agent: 'tester', dependsOn: ['a'] },
      ],
    };
    expect(blind.predict({ task: 'fix it', plan }).risks).toContain('past runs with debugger failed more often');
  });

  it('names no risk for a short plan of reliable agents', () => {
    const short = {
      steps: [
        { id: 'a', agent: 'tester', dependsOn: [] },
        { id: 'b', agent: 'security', dependsOn: [] },
      ],
    };
    const prediction = model.predict({ task: 'review', plan: short });
    expect(prediction.risks).toEqual([]);
    expect(prediction.successProbability).toBeGreaterThan(0.6);
  });

  it('calls a long chain a risk and an unseen agent unknown', () => {
    const chain = {
      steps: Array.from({ length: 9 }, (_, i) => ({
        id: `s${i}`,
        agent: i ? 'tester' : 'browser',
        dependsOn: i ? [`s${i - 1}`] : [],
      })),
    };
    const prediction = model.predict({ task: 'a long job', plan: chain });
    expect(prediction.risks).toContain('9 steps on the critical path (long chain)');
    expect(prediction.risks).toContain('no history for agent browser');
  });

  it('is confident with 2,000 runs and says how it was trained', () => {
    const prediction = predictions[0];
    expect(prediction?.confidence).toBeGreaterThan(0.6);
    expect(prediction?.basis).toMatch(/^logistic model trained on \d+ finished runs/);
    expect(prediction?.basis).toContain('held out');
  });

  it('is deterministic', () => {
    const again = trainPredictionModel({ runs: train.runs, agents: recent });
    const plan = test.runs[3]?.plan ?? '';
    expect(again.predict({ task: 't', plan })).toEqual(model.predict({ task: 't', plan }));
  });
});

describe('trainPredictionModel with little history', () => {
  const few = synthetic(10, 3, 'few').runs;
  const finishedFew = few.filter((r) => r.outcome !== 'cancelled');
  const successes = finishedFew.filter((r) => r.outcome === 'completed').length;

  it('falls back to the smoothed base rate with low confidence and says so', () => {
    const small = trainPredictionModel({ runs: few, agents: recent });
    const prediction = small.predict({ task: 't', plan: few[0]?.plan ?? '' });
    expect(small.kind).toBe('base-rate');
    expect(prediction.successProbability).toBeCloseTo((successes + 1) / (finishedFew.length + 2), 4);
    expect(prediction.confidence).toBeLessThan(0.1);
    expect(prediction.basis).toContain(`only ${finishedFew.length} finished runs`);
    expect(prediction.basis).toContain('no model trained');
    expect(prediction.durationMs).toBeGreaterThan(0);
  });

  it('answers an even 50% with zero confidence when there is no history at all', () => {
    const prediction = trainPredictionModel({ runs: [], agents: [] }).predict({ task: 't', plan: few[0]?.plan ?? '' });
    expect(prediction).toMatchObject({ successProbability: 0.5, confidence: 0, durationMs: 0, costUsd: 0 });
    expect(prediction.basis).toMatch(/^no history yet/);
  });

  it('still names an agent with a poor recent record', () => {
    const plan = { steps: [{ id: 'a', agent: BAD_AGENT, dependsOn: [] }] };
    const prediction = trainPredictionModel({ runs: few, agents: recent }).predict({ task: 't', plan });
    expect(prediction.risks).toEqual(['debugger has failed 6 of its last 10 steps']);
  });

  it('rejects a plan it cannot read', () => {
    expect(() => trainPredictionModel({ runs: few, agents: [] }).predict({ task: 't', plan: '{}' })).toThrow(
      /not a plan/,
    );
  });
});
