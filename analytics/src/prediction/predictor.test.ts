import { Plan, Prediction } from '@revo/actors';
import { describe, expect, it } from 'vitest';
import type { PredictionHistory, WorkflowHistoryRow } from './features';
import { createHistoryPredictor, predictFromHistory } from './predictor';

const plan = (agents: string[]): Plan =>
  Plan.parse({
    steps: agents.map((agent, i) => ({
      id: `s${i}`,
      agent,
      instruction: `do part ${i}`,
      dependsOn: i ? [`s${i - 1}`] : [],
    })),
  });

/** A small deterministic history: every third run fails, longer plans take longer. */
function history(runs: number): PredictionHistory {
  const rows: WorkflowHistoryRow[] = Array.from({ length: runs }, (_, i) => {
    const agents = ['code-generator', 'tester', 'documenter'].slice(0, 1 + (i % 3));
    return {
      run_id: `run-${i}`,
      created_at: i,
      ended_at: i + 1,
      durationMs: 10_000 * agents.length + (i % 7) * 100,
      outcome: i % 3 === 2 ? 'failed' : 'completed',
      costUsd: 0.001 * agents.length,
      mode: agents.length === 1 ? 'single' : 'workflow',
      task_category: 'code-generator',
      plan: JSON.stringify(plan(agents)),
      agents,
      models: ['ollama:llama3.1:8b'],
    };
  });
  return { runs: rows, agents: [{ agent: 'tester', trials: 12, successes: 9 }] };
}

/** A loadHistory that counts its calls and can be told to fail. */
function loader(runs = 60) {
  const state = { calls: 0, fail: false };
  const load = async (): Promise<PredictionHistory> => {
    state.calls += 1;
    if (state.fail) throw new Error('ClickHouse is down');
    return history(runs);
  };
  return { state, load };
}

const input = { runId: 'r1', task: 'write code', plan: plan(['code-generator', 'tester']) };

describe('createHistoryPredictor', () => {
  it('trains on first use, not before, and answers a valid Prediction from the cached model', async () => {
    const { state, load } = loader();
    const predictor = createHistoryPredictor({ loadHistory: load });
    expect(state.calls).toBe(0);
    const first = await predictor.predict(input);
    const second = await predictor.predict(input);
    expect(state.calls).toBe(1);
    expect(Prediction.parse(first)).toEqual(first);
    expect(second).toEqual(first);
    expect(first.basis).toMatch(/^logistic model trained on 60 finished runs/);
  });

  it('shares one load between predictions that arrive together', async () => {
    const { state, load } = loader();
    const predictor = createHistoryPredictor({ loadHistory: load });
    await Promise.all([predictor.predict(input), predictor.predict(input), predictor.predict(input)]);
    expect(state.calls).toBe(1);
  });

  it('retrains after the given number of runs', async () => {
    const { state, load } = loader();
    const predictor = createHistoryPredictor({ loadHistory: load, retrainEvery: 2 });
    for (let i = 0; i < 5; i++) await predictor.predict(input);
    // Loads before predictions 1, 3 and 5.
    expect(state.calls).toBe(3);
  });

  it('retrains once the given time has passed', async () => {
    const { state, load } = loader();
    let clock = 1_000;
    const predictor = createHistoryPredictor({ loadHistory: load, retrainEvery: { ms: 60_000 }, now: () => clock });
    await predictor.predict(input);
    clock += 59_999;
    await predictor.predict(input);
    expect(state.calls).toBe(1);
    clock += 1;
    await predictor.predict(input);
    expect(state.calls).toBe(2);
  });

  it('says it does not know when history cannot be read, and waits before trying again', async () => {
    const { state, load } = loader();
    state.fail = true;
    let clock = 0;
    const predictor = createHistoryPredictor({ loadHistory: load, now: () => clock });
    const prediction = await predictor.predict(input);
    expect(prediction).toMatchObject({ successProbability: 0.5, confidence: 0 });
    expect(prediction.basis).toContain('history unavailable (ClickHouse is down)');
    await predictor.predict(input);
    expect(state.calls).toBe(1);
    state.fail = false;
    clock += 30_000;
    expect((await predictor.predict(input)).confidence).toBeGreaterThan(0);
    expect(state.calls).toBe(2);
  });

  it('keeps the last model when a retrain fails', async () => {
    const { state, load } = loader();
    const predictor = createHistoryPredictor({ loadHistory: load, retrainEvery: 1 });
    const before = await predictor.predict(input);
    state.fail = true;
    expect(await predictor.predict(input)).toEqual(before);
    expect(state.calls).toBe(2);
  });

  it('retrains on the next prediction once a run finishes while history is small, not before', async () => {
    const { state, load } = loader(9);
    const predictor = createHistoryPredictor({ loadHistory: load });
    await predictor.predict(input);
    await predictor.predict(input);
    expect(state.calls).toBe(1);
    predictor.runFinished();
    await predictor.predict(input);
    expect(state.calls).toBe(2);
  });

  it('falls back to the base rate, and says so, while history is short', async () => {
    const predictor = createHistoryPredictor({ loadHistory: loader(9).load });
    const prediction = await predictor.predict(input);
    expect(prediction.successProbability).toBeCloseTo((6 + 1) / (9 + 2), 4);
    expect(prediction.confidence).toBeLessThan(0.1);
    expect(prediction.basis).toContain('only 9 finished runs');
  });
});

describe('predictFromHistory', () => {
  it('predicts a plan given as JSON text, longer plans taking longer', () => {
    const past = history(90);
    const short = predictFromHistory(JSON.stringify(plan(['code-generator'])), 'a task', past);
    const long = predictFromHistory(JSON.stringify(plan(['code-generator', 'tester', 'documenter'])), 'a task', past);
    expect(Prediction.parse(long)).toEqual(long);
    expect(long.durationMs).toBeGreaterThan(short.durationMs);
    expect(long.successProbability).toBeLessThan(short.successProbability);
  });

  it('categorises the task with the function it is given', () => {
    const seen: string[] = [];
    predictFromHistory(plan(['tester']), 'test the parser', history(30), {
      categorise: (task) => {
        seen.push(task);
        return 'tester';
      },
    });
    expect(seen).toEqual(['test the parser']);
  });
});
