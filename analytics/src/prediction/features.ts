import { z } from 'zod';

/**
 * One finished run as the `workflow-history` query returns it. `plan` is the run's Plan, parsed or
 * as the JSON string ClickHouse stores; `models` are model ids (`ollama:llama3.1:8b`) the run used.
 */
export interface WorkflowHistoryRow {
  run_id: string;
  created_at: string | number;
  ended_at: string | number;
  durationMs: number;
  outcome: 'completed' | 'failed' | 'cancelled';
  costUsd: number;
  mode: string;
  task_category: string;
  plan: string | PlanShapeInput;
  agents: readonly string[];
  models: readonly string[];
}

/** One agent's step outcomes over a recent window (e.g. its last 50 steps or 14 days). */
export interface AgentRecentSuccess {
  agent: string;
  trials: number;
  successes: number;
}

/** Everything a prediction learns from. */
export interface PredictionHistory {
  runs: readonly WorkflowHistoryRow[];
  agents: readonly AgentRecentSuccess[];
}

/** What is known about a run before it starts; `mode` and `models` are inferred when missing. */
export interface PredictionInput {
  task: string;
  plan: string | PlanShapeInput;
  mode?: string;
  category?: string;
  models?: readonly string[];
}

/** The part of a Plan the features read; lenient so an old or partial stored plan still counts. */
const PlanShape = z.object({
  steps: z.array(z.object({ id: z.string(), agent: z.string(), dependsOn: z.array(z.string()).default([]) })).min(1),
});
type PlanShape = z.infer<typeof PlanShape>;
export type PlanShapeInput = z.input<typeof PlanShape>;

/** Parses a plan given as an object or JSON text; `undefined` when it is neither. */
export function parsePlanShape(plan: string | PlanShapeInput): PlanShape | undefined {
  let value: unknown = plan;
  if (typeof plan === 'string') {
    try {
      value = JSON.parse(plan);
    } catch {
      return undefined;
    }
  }
  const parsed = PlanShape.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The DAG's shape: size, longest chain (as `criticalPathLength`), widest level, agents in order. */
export interface PlanStats {
  steps: number;
  criticalPath: number;
  maxWidth: number;
  agents: string[];
}

/** Computes a plan's shape; a cycle or an unknown dependency in stored data adds no depth instead of throwing. */
export function planStats(plan: PlanShape): PlanStats {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id) || !byId.has(id)) return 0;
    visiting.add(id);
    const d = 1 + Math.max(0, ...(byId.get(id)?.dependsOn ?? []).map(depthOf));
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  const width = new Map<number, number>();
  for (const step of plan.steps) {
    const d = depthOf(step.id);
    width.set(d, (width.get(d) ?? 0) + 1);
  }
  return {
    steps: plan.steps.length,
    criticalPath: Math.max(...depth.values()),
    maxWidth: Math.max(...width.values()),
    agents: [...new Set(plan.steps.map((s) => s.agent))],
  };
}

/** Mode when the caller does not say: one step is `single`, independent steps `multi`, else `workflow`. */
export function inferMode(stats: PlanStats): string {
  if (stats.steps === 1) return 'single';
  return stats.criticalPath === 1 ? 'multi' : 'workflow';
}

/** Beta(2, 2) prior, as the selector's: an agent without recent steps sits at exactly 0.5. */
const PRIOR = 2;
export const smoothedSuccess = (r: AgentRecentSuccess | undefined): number =>
  ((r?.successes ?? 0) + PRIOR) / ((r?.trials ?? 0) + 2 * PRIOR);

/** Recent records by agent, clamped so successes never exceed trials nor go below zero. */
export function recentByAgent(agents: readonly AgentRecentSuccess[]): ReadonlyMap<string, AgentRecentSuccess> {
  return new Map(
    agents.map(({ agent, trials, successes }) => {
      const t = Math.max(0, Number(trials) || 0);
      return [agent, { agent, trials: t, successes: Math.min(t, Math.max(0, Number(successes) || 0)) }];
    }),
  );
}

const LOCAL_PROVIDERS = new Set(['ollama', 'offline', 'fake']);

/** Share of `models` served locally, by provider prefix; `undefined` when no id names a known provider. */
export function localModelShare(models: readonly string[]): number | undefined {
  let known = 0;
  let local = 0;
  for (const id of models) {
    const provider = id.slice(0, Math.max(0, id.indexOf(':'))) || id;
    if (LOCAL_PROVIDERS.has(provider)) local += 1;
    if (LOCAL_PROVIDERS.has(provider) || provider === 'openai' || provider === 'anthropic') known += 1;
  }
  return known === 0 ? undefined : local / known;
}

/**
 * The numeric features, in vector order: plan size (`steps` and its log), the longest dependency
 * chain (`criticalPath` and its log), the widest level of the DAG (`maxWidth`), `distinctAgents`,
 * the agents' recent success smoothed with a Beta(2, 2) prior (worst and mean over the plan's
 * agents), how many of them have no recent steps, and the share of calls on local models.
 * Indicators follow: one per agent and per task category seen in enough runs, one per mode.
 */
export const NUMERIC_FEATURES = [
  'steps',
  'logSteps',
  'criticalPath',
  'logCriticalPath',
  'maxWidth',
  'distinctAgents',
  'agentSuccessMin',
  'agentSuccessMean',
  'agentsWithoutHistory',
  'localModelShare',
] as const;
export const MODES = ['single', 'multi', 'workflow'] as const;

/**
 * The vocabulary learned from history: which agents and categories get an indicator (those seen
 * in at least `minSupport` runs), the agents' recent success, and fallbacks for the model mix.
 */
export interface FeatureSpace {
  names: string[];
  agents: string[];
  categories: string[];
  recent: ReadonlyMap<string, AgentRecentSuccess>;
  /** Mean local share per agent over the runs that used it, for plans whose models are unknown. */
  agentLocalShare: ReadonlyMap<string, number>;
  localShare: number;
}

/** A run reduced to what the features read, parsed once. */
export interface RunFacts {
  stats: PlanStats;
  mode: string;
  category: string;
  localShare: number | undefined;
}

/** The facts of a finished run; `undefined` when its plan cannot be read. */
export function runFacts(row: WorkflowHistoryRow): RunFacts | undefined {
  const plan = parsePlanShape(row.plan);
  if (!plan) return undefined;
  return {
    stats: planStats(plan),
    mode: row.mode,
    category: row.task_category,
    localShare: localModelShare(row.models),
  };
}

/** Builds the vocabulary from the training runs; indicators are sorted, so the order is stable. */
export function featureSpace(
  facts: readonly RunFacts[],
  agents: readonly AgentRecentSuccess[],
  minSupport = 5,
): FeatureSpace {
  const agentRuns = new Map<string, number>();
  const categoryRuns = new Map<string, number>();
  const shares = new Map<string, { sum: number; n: number }>();
  let shareSum = 0;
  let shareN = 0;
  for (const f of facts) {
    for (const a of f.stats.agents) agentRuns.set(a, (agentRuns.get(a) ?? 0) + 1);
    if (f.category) categoryRuns.set(f.category, (categoryRuns.get(f.category) ?? 0) + 1);
    if (f.localShare === undefined) continue;
    shareSum += f.localShare;
    shareN += 1;
    for (const a of f.stats.agents) {
      const s = shares.get(a) ?? { sum: 0, n: 0 };
      shares.set(a, { sum: s.sum + f.localShare, n: s.n + 1 });
    }
  }
  const supported = (m: Map<string, number>) =>
    [...m]
      .filter(([, n]) => n >= minSupport)
      .map(([k]) => k)
      .sort();
  const agentList = supported(agentRuns);
  const categories = supported(categoryRuns);
  return {
    names: [
      ...NUMERIC_FEATURES,
      ...agentList.map((a) => `agent:${a}`),
      ...categories.map((c) => `category:${c}`),
      ...MODES.map((m) => `mode:${m}`),
    ],
    agents: agentList,
    categories,
    recent: recentByAgent(agents),
    agentLocalShare: new Map([...shares].map(([a, s]) => [a, s.sum / s.n])),
    // With no known model mix at all, assume local-first, reVo's default routing.
    localShare: shareN === 0 ? 1 : shareSum / shareN,
  };
}

/** The plan's local share when its models are unknown: its agents' past mix, else the overall one. */
export function expectedLocalShare(space: FeatureSpace, agents: readonly string[]): number {
  const known = agents.map((a) => space.agentLocalShare.get(a)).filter((s): s is number => s !== undefined);
  return known.length === 0 ? space.localShare : known.reduce((a, b) => a + b, 0) / known.length;
}

/** The feature vector of one run, in `space.names` order. Pure and deterministic. */
export function featureVector(space: FeatureSpace, facts: RunFacts): number[] {
  const { stats } = facts;
  const success = stats.agents.map((a) => smoothedSuccess(space.recent.get(a)));
  const numeric: Record<(typeof NUMERIC_FEATURES)[number], number> = {
    steps: stats.steps,
    logSteps: Math.log(stats.steps),
    criticalPath: stats.criticalPath,
    logCriticalPath: Math.log(stats.criticalPath),
    maxWidth: stats.maxWidth,
    distinctAgents: stats.agents.length,
    agentSuccessMin: Math.min(...success),
    agentSuccessMean: success.reduce((a, b) => a + b, 0) / success.length,
    agentsWithoutHistory: stats.agents.filter((a) => !(space.recent.get(a)?.trials ?? 0)).length,
    localModelShare: facts.localShare ?? expectedLocalShare(space, stats.agents),
  };
  const present = new Set(stats.agents);
  return [
    ...NUMERIC_FEATURES.map((name) => numeric[name]),
    ...space.agents.map((a) => (present.has(a) ? 1 : 0)),
    ...space.categories.map((c) => (facts.category === c ? 1 : 0)),
    ...MODES.map((m) => (facts.mode === m ? 1 : 0)),
  ];
}

/** Medians of the training plans, for sentences like "12 steps (a typical plan has 4)". */
export interface Typical {
  steps: number;
  criticalPath: number;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const steps = (n: number): string => `${n} step${n === 1 ? '' : 's'}`;
const recentRecord = (agent: string, r: AgentRecentSuccess | undefined): string | undefined =>
  r?.trials ? `${agent} has failed ${r.trials - r.successes} of its last ${r.trials} steps` : undefined;

/**
 * The risk group of a feature. Features that move together speak as one, so collinear weights
 * that cancel out do not surface as risks: a count and its log; the mode and the chain length it
 * mostly follows from; the weakest and the mean agent record.
 */
export function riskGroup(name: string): string {
  if (name === 'logSteps') return 'steps';
  if (name === 'logCriticalPath' || name.startsWith('mode:')) return 'criticalPath';
  if (name === 'agentSuccessMean') return 'agentSuccessMin';
  return name;
}

/** Risks that need no model: agents with a poor recent record (smoothed below 50%) or no history at all. */
export function factualRisks(stats: PlanStats, space: Pick<FeatureSpace, 'recent' | 'agents'>): string[] {
  const risks: string[] = [];
  for (const agent of stats.agents) {
    const r = space.recent.get(agent);
    const record = recentRecord(agent, r);
    if (record && (r?.trials ?? 0) >= 5 && smoothedSuccess(r) < 0.5) risks.push(record);
    if (!r?.trials && !space.agents.includes(agent)) risks.push(`no history for agent ${agent}`);
  }
  return risks;
}

/** The sentence for a feature group that lowers a plan's odds; `undefined` when there is nothing to name. */
export function explainRisk(group: string, facts: RunFacts, space: FeatureSpace, typical: Typical): string | undefined {
  const { stats } = facts;
  const colon = group.indexOf(':');
  const name = group.slice(colon + 1);
  switch (colon < 0 ? group : group.slice(0, colon)) {
    case 'steps':
      return `${steps(stats.steps)} (a typical plan has ${Math.round(typical.steps)})`;
    case 'criticalPath':
      return `${steps(stats.criticalPath)} on the critical path (${stats.criticalPath > typical.criticalPath ? 'long chain' : 'typical'})`;
    case 'maxWidth':
      return `${steps(stats.maxWidth)} in parallel at the widest point`;
    case 'distinctAgents':
      return `${stats.agents.length} distinct agents to coordinate`;
    case 'agentSuccessMin': {
      const rate = (a: string) => smoothedSuccess(space.recent.get(a));
      const weakest = [...stats.agents].sort((a, b) => rate(a) - rate(b))[0] ?? '';
      return recentRecord(weakest, space.recent.get(weakest)) ?? `no recent steps for agent ${weakest}`;
    }
    case 'agentsWithoutHistory': {
      const missing = stats.agents.filter((a) => !space.recent.get(a)?.trials);
      return missing.length ? `no recent history for agent ${missing.join(', ')}` : undefined;
    }
    case 'localModelShare':
      return `model mix: ${pct(facts.localShare ?? expectedLocalShare(space, stats.agents))} of calls on local models`;
    case 'agent':
      return recentRecord(name, space.recent.get(name)) ?? `past runs with ${name} failed more often`;
    case 'category':
      return `tasks in category "${name}" fail more often`;
    default:
      return undefined;
  }
}
