import type { Prediction } from '@revo/actors';
import {
  explainRisk,
  factualRisks,
  featureSpace,
  featureVector,
  inferMode,
  localModelShare,
  type PredictionHistory,
  type PredictionInput,
  parsePlanShape,
  planStats,
  recentByAgent,
  type RunFacts,
  riskGroup,
  runFacts,
  type Typical,
} from './features';
import { auc, brierScore, calibrationError } from './metrics';

export interface TrainOptions {
  /** Fewer finished (completed or failed) runs than this and the model is the base rate. @default 20 */
  minRuns?: number;
  /** L2 penalty on the standardised weights of all three regressions. @default 1 */
  l2?: number;
  /** Runs an agent or category needs before it gets its own indicator. @default 5 */
  minSupport?: number;
}

/** How the success model did on runs it did not see (a fifth of them, chosen by run id). */
export interface HoldoutReport {
  runs: number;
  auc: number;
  brier: number;
  baseRateBrier: number;
  calibrationError: number;
}

/** A trained (or base-rate) model: predicts one plan from what is known before it runs. */
export interface PredictionModel {
  readonly kind: 'trained' | 'base-rate';
  /** Finished runs it learned from (cancelled runs and unreadable plans are left out). */
  readonly runs: number;
  readonly holdout: HoldoutReport | undefined;
  predict(input: PredictionInput): Prediction;
}

const HOLDOUT_PERCENT = 20;
const MIN_HOLDOUT_RUNS = 50;
const MIN_REGRESSION_RUNS = 10;
/** Added before taking the log so free (all-local) runs stay finite: a tenth of a cent. */
const COST_FLOOR = 0.001;
/** A feature group costing at least this many log-odds (about 5 points at 50%) is named as a risk. */
const RISK_LOGIT = 0.2;
const MAX_RISKS = 6;
/** History size at which the history factor of confidence reaches one half. */
const HALF_CONFIDENCE_RUNS = 100;

type Vector = number[];
interface Labelled {
  id: string;
  facts: RunFacts;
  success: 0 | 1;
  durationMs: number;
  costUsd: number;
}

const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));
const dot = (a: Vector, b: Vector): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
const sum = (xs: Vector): number => xs.reduce((a, b) => a + b, 0);
const median = (xs: Vector): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? 0 : s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const round = (x: number, digits: number): number => Number(x.toFixed(digits));
const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** FNV-1a of the run id: the holdout split is the same on every retrain. */
function hashPercent(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 100;
}

/**
 * Solves (Σ_r weight_r z_r z_rᵀ + l2·I′) x = b by Cholesky, I′ sparing the intercept (index 0):
 * one ridge fit, or one Newton step of the logistic fit.
 */
function solveNormal(rows: Vector[], weights: Vector, b: Vector, l2: number): Vector {
  const d = b.length;
  const a = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? (i ? l2 : 1e-9) : 0)));
  rows.forEach((z, r) => {
    const w = weights[r] ?? 0;
    for (let i = 0; i < d; i++) {
      const ai = a[i] ?? [];
      for (let j = 0; j <= i; j++) ai[j] = (ai[j] ?? 0) + w * (z[i] ?? 0) * (z[j] ?? 0);
    }
  });
  const l = a.map(() => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++) {
    const li = l[i] ?? [];
    for (let j = 0; j <= i; j++) {
      const lj = l[j] ?? [];
      const s = (a[i]?.[j] ?? 0) - dot(li.slice(0, j), lj);
      li[j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / (lj[j] ?? 1);
    }
  }
  const y: Vector = [];
  for (let i = 0; i < d; i++) y[i] = ((b[i] ?? 0) - dot((l[i] ?? []).slice(0, i), y)) / (l[i]?.[i] ?? 1);
  const x = new Array<number>(d).fill(0);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i] ?? 0;
    for (let k = i + 1; k < d; k++) s -= (l[k]?.[i] ?? 0) * (x[k] ?? 0);
    x[i] = s / (l[i]?.[i] ?? 1);
  }
  return x;
}

/** Σ_r coefficient_r z_r: the right-hand side of a normal equation. */
function weightedSum(rows: Vector[], coefficient: (r: number) => number): Vector {
  const out = new Array<number>(rows[0]?.length ?? 0).fill(0);
  rows.forEach((z, r) => {
    const c = coefficient(r);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + c * (z[i] ?? 0);
  });
  return out;
}

/** Ridge regression with an unpenalised intercept; rows carry a leading 1. */
const fitRidge = (rows: Vector[], y: Vector, l2: number): Vector =>
  solveNormal(
    rows,
    rows.map(() => 1),
    weightedSum(rows, (r) => y[r] ?? 0),
    l2,
  );

/** L2-regularised logistic regression by Newton's method, halving a step that would raise the loss. */
function fitLogistic(rows: Vector[], y: Vector, l2: number): Vector {
  const rate = Math.min(0.99, Math.max(0.01, sum(y) / y.length));
  let w = new Array<number>(rows[0]?.length ?? 1).fill(0);
  w[0] = Math.log(rate / (1 - rate));
  const loss = (v: Vector): number => {
    const margins = rows.map((z) => dot(z, v));
    const nll = margins.map((t, r) => Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t))) - (y[r] ?? 0) * t);
    return sum(nll) + (l2 / 2) * sum(v.map((x, i) => (i ? x * x : 0)));
  };
  for (let iter = 0; iter < 50; iter++) {
    const p = rows.map((z) => sigmoid(dot(z, w)));
    const residual = weightedSum(rows, (r) => (p[r] ?? 0) - (y[r] ?? 0));
    const grad = w.map((x, i) => (residual[i] ?? 0) + (i ? l2 * x : 0));
    const step = solveNormal(
      rows,
      p.map((q) => q * (1 - q)),
      grad,
      l2,
    );
    const before = loss(w);
    let t = 1;
    const moved = (): Vector => w.map((x, i) => x - t * (step[i] ?? 0));
    while (loss(moved()) > before && t > 1e-4) t /= 2;
    w = moved();
    if (Math.max(...step.map((s) => Math.abs(t * s))) < 1e-7) break;
  }
  return w;
}

/** Centres and scales each feature on the training rows and prepends the intercept's 1. */
function standardiser(xs: Vector[]): (x: Vector) => Vector {
  const mean = (xs[0] ?? []).map((_, j) => sum(xs.map((x) => x[j] ?? 0)) / xs.length);
  const sd = mean.map((m, j) => Math.sqrt(sum(xs.map((x) => ((x[j] ?? 0) - m) ** 2)) / xs.length));
  // A feature constant in training keeps its units (its weight is 0 anyway) instead of dividing by ~0.
  return (x) => [1, ...x.map((v, j) => (v - (mean[j] ?? 0)) / ((sd[j] ?? 0) > 1e-9 ? (sd[j] ?? 1) : 1))];
}

function labelled(history: PredictionHistory): Labelled[] {
  return history.runs.flatMap((row): Labelled[] => {
    // A cancelled run says what a person wanted, not how the plan went.
    if (row.outcome !== 'completed' && row.outcome !== 'failed') return [];
    const facts = runFacts(row);
    if (!facts) return [];
    const success = row.outcome === 'completed' ? 1 : 0;
    const finite = (v: unknown) => (Number.isFinite(Number(v)) ? Math.max(0, Number(v)) : 0);
    return [{ id: row.run_id, facts, success, durationMs: finite(row.durationMs), costUsd: finite(row.costUsd) }];
  });
}

/** Facts of a plan not yet run; what the caller leaves out is inferred from the plan. */
function inputFacts(input: PredictionInput): RunFacts {
  const plan = parsePlanShape(input.plan);
  if (!plan) throw new Error('not a plan: expected { steps: [{ id, agent, dependsOn }] } with at least one step');
  const stats = planStats(plan);
  const localShare = input.models ? localModelShare(input.models) : undefined;
  return { stats, mode: input.mode ?? inferMode(stats), category: input.category ?? '', localShare };
}

function baseRateModel(data: Labelled[], history: PredictionHistory, minRuns: number): PredictionModel {
  const n = data.length;
  const successes = sum(data.map((d) => d.success));
  const p = (successes + 1) / (n + 2);
  const completed = data.filter((d) => d.success === 1 && d.durationMs > 0);
  const sample = completed.length > 0 ? completed : data;
  const space = { recent: recentByAgent(history.agents), agents: [] };
  const basis =
    n === 0
      ? 'no history yet: no finished runs to learn from, so a neutral 50%'
      : `only ${n} finished run${n === 1 ? '' : 's'} in history (a model needs ${minRuns}): base rate ` +
        `${successes}/${n} smoothed to ${pct(p)}, median duration and cost of those runs; no model trained`;
  return {
    kind: 'base-rate',
    runs: n,
    holdout: undefined,
    predict(input) {
      const { stats } = inputFacts(input);
      const risks = factualRisks(stats, space);
      if (stats.criticalPath >= 6) risks.push(`${stats.criticalPath} steps on the critical path (long chain)`);
      return {
        successProbability: round(p, 4),
        durationMs: Math.round(median(sample.map((d) => d.durationMs))),
        costUsd: round(median(sample.map((d) => d.costUsd)), 6),
        risks,
        confidence: round((0.5 * n) / (n + HALF_CONFIDENCE_RUNS), 3),
        basis,
      };
    },
  };
}

/** Fits on the runs outside the holdout and scores the ones inside it. */
function holdoutReport(data: Labelled[], xs: Vector[], l2: number): HoldoutReport {
  const inside = data.map((d) => hashPercent(d.id) < HOLDOUT_PERCENT);
  const trainX = xs.filter((_, i) => !inside[i]);
  const trainY = data.filter((_, i) => !inside[i]).map((d) => d.success);
  const z = standardiser(trainX);
  const w = fitLogistic(trainX.map(z), trainY, l2);
  const rate = sum(trainY) / trainY.length;
  const test = data.flatMap((d, i) => (inside[i] ? [{ p: sigmoid(dot(z(xs[i] ?? []), w)), y: d.success }] : []));
  return {
    runs: test.length,
    auc: auc(test),
    brier: brierScore(test),
    baseRateBrier: brierScore(test.map(({ y }) => ({ p: rate, y }))),
    calibrationError: calibrationError(test),
  };
}

/**
 * Trains the success, duration and cost models on finished runs: logistic regression for success,
 * ridge on log duration and log cost over completed runs (so they predict the typical, median run,
 * and a few very slow runs do not drag it), all on standardised features. A fifth of the runs (by
 * id) is held out first to measure calibration, then all runs are refit. Confidence is
 * n/(n+100) × (0.4 + 0.6 × calibration quality) × (0.5 + 0.5 × share of the plan's agents with
 * history). Below `minRuns` the model is the smoothed base rate, and says so.
 */
export function trainPredictionModel(history: PredictionHistory, options: TrainOptions = {}): PredictionModel {
  const { minRuns = 20, l2 = 1, minSupport = 5 } = options;
  const data = labelled(history);
  if (data.length < minRuns) return baseRateModel(data, history, minRuns);
  const facts = data.map((d) => d.facts);
  const space = featureSpace(facts, history.agents, minSupport);
  const xs = facts.map((f) => featureVector(space, f));
  const typical: Typical = {
    steps: median(facts.map((f) => f.stats.steps)),
    criticalPath: median(facts.map((f) => f.stats.criticalPath)),
  };
  const holdout = data.length >= MIN_HOLDOUT_RUNS ? holdoutReport(data, xs, l2) : undefined;

  const z = standardiser(xs);
  const zs = xs.map(z);
  const w = fitLogistic(
    zs,
    data.map((d) => d.success),
    l2,
  );
  // Duration and cost of the runs that finished the plan; a failed run stops early and costs less.
  const completed = data.flatMap((d, i) => (d.success && d.durationMs > 0 ? [{ d, z: zs[i] ?? [] }] : []));
  const regress = (target: (d: Labelled) => number): ((z: Vector) => number) => {
    const ys = completed.map(({ d }) => target(d));
    // No completed run at all: exp(-∞) makes the duration and cost an honest 0.
    if (ys.length === 0) return () => Number.NEGATIVE_INFINITY;
    if (ys.length < MIN_REGRESSION_RUNS) return () => median(ys);
    const beta = fitRidge(
      completed.map((c) => c.z),
      ys,
      l2,
    );
    return (row) => dot(row, beta);
  };
  const logDuration = regress((d) => Math.log(d.durationMs));
  const logCost = regress((d) => Math.log(Math.max(0, d.costUsd) + COST_FLOOR));

  const rate = sum(data.map((d) => d.success)) / data.length;
  const historyFactor = data.length / (data.length + HALF_CONFIDENCE_RUNS);
  const calibrationFactor = holdout ? Math.min(1, Math.max(0, 1 - holdout.calibrationError / 0.2)) : 0.5;
  const basis =
    `logistic model trained on ${data.length} finished runs (${pct(rate)} completed); ` +
    (holdout
      ? `held out ${holdout.runs}: AUC ${holdout.auc.toFixed(2)}, Brier ${holdout.brier.toFixed(3)} vs base rate ` +
        `${holdout.baseRateBrier.toFixed(3)}, calibration error ${holdout.calibrationError.toFixed(3)}; `
      : 'too few runs to hold some out; ') +
    `duration and cost by ridge regression on their logs over ${completed.length} completed runs`;

  return {
    kind: 'trained',
    runs: data.length,
    holdout,
    predict(input) {
      const run = inputFacts(input);
      const x = featureVector(space, run);
      const row = z(x);
      // Each feature's pull on the log-odds against the average plan; indicators speak only when present.
      const pull = new Map<string, number>();
      space.names.forEach((name, j) => {
        if (name.includes(':') && x[j] !== 1) return;
        pull.set(riskGroup(name), (pull.get(riskGroup(name)) ?? 0) + (w[j + 1] ?? 0) * (row[j + 1] ?? 0));
      });
      const risks = [...pull]
        .filter(([, c]) => c <= -RISK_LOGIT)
        .sort((a, b) => a[1] - b[1])
        .map(([group]) => explainRisk(group, run, space, typical))
        .filter((r): r is string => r !== undefined);
      const agents = run.stats.agents;
      const coverage =
        agents.filter((a) => space.agents.includes(a) || space.recent.get(a)?.trials).length / agents.length;
      return {
        successProbability: round(sigmoid(dot(row, w)), 4),
        durationMs: Math.round(Math.exp(logDuration(row))),
        costUsd: round(Math.max(0, Math.exp(logCost(row)) - COST_FLOOR), 6),
        risks: [...new Set([...risks, ...factualRisks(run.stats, space)])].slice(0, MAX_RISKS),
        confidence: round(historyFactor * (0.4 + 0.6 * calibrationFactor) * (0.5 + 0.5 * coverage), 3),
        basis,
      };
    },
  };
}
