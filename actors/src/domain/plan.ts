import { z } from 'zod';
import { AgentId, StepId } from './ids';

export const StepStatus = z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled']);
export type StepStatus = z.infer<typeof StepStatus>;

/** One node of a workflow's DAG. */
export const PlannedStep = z.object({
  id: StepId,
  agent: AgentId,
  instruction: z.string().min(1).max(20_000),
  dependsOn: z.array(StepId).max(64).default([]),
  /** Steps that share a question answer it independently; differing positions are a conflict. */
  question: z.string().max(200).optional(),
  /** Set on steps the planner inserted while adapting, naming the step that caused it. */
  insertedFor: StepId.optional(),
});
export type PlannedStep = z.infer<typeof PlannedStep>;

/** A DAG of steps; `validatePlan` checks ids, references and cycles. */
export const Plan = z.object({
  steps: z.array(PlannedStep).min(1).max(200),
  rationale: z.string().max(4_000).default(''),
  planner: z.string().default('offline'),
});
export type Plan = z.infer<typeof Plan>;
export type PlanInput = z.input<typeof Plan>;

/** Returns the problems of a plan (empty when it is a valid DAG over known agents). */
export function planProblems(plan: Plan, knownAgents: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const step of plan.steps) {
    if (ids.has(step.id)) problems.push(`step id "${step.id}" is used twice`);
    ids.add(step.id);
    if (!knownAgents.has(step.agent)) problems.push(`step "${step.id}" names unknown agent "${step.agent}"`);
  }
  for (const step of plan.steps) {
    for (const dep of step.dependsOn) {
      if (!ids.has(dep)) problems.push(`step "${step.id}" depends on unknown step "${dep}"`);
      if (dep === step.id) problems.push(`step "${step.id}" depends on itself`);
    }
  }
  if (problems.length === 0 && hasCycle(plan)) problems.push('the steps form a cycle');
  return problems;
}

function hasCycle(plan: Plan): boolean {
  const deps = new Map(plan.steps.map((s) => [s.id as string, s.dependsOn as string[]]));
  const state = new Map<string, 1 | 2>();
  const visit = (id: string): boolean => {
    const seen = state.get(id);
    if (seen === 1) return true;
    if (seen === 2) return false;
    state.set(id, 1);
    for (const dep of deps.get(id) ?? []) if (visit(dep)) return true;
    state.set(id, 2);
    return false;
  };
  return plan.steps.some((s) => visit(s.id));
}

/** Length of the longest dependency chain, in steps: what no amount of parallelism can shorten. */
export function criticalPathLength(plan: Plan): number {
  const byId = new Map(plan.steps.map((s) => [s.id as string, s]));
  const memo = new Map<string, number>();
  const depth = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const step = byId.get(id);
    const d = 1 + Math.max(0, ...(step?.dependsOn ?? []).map((dep) => depth(dep)));
    memo.set(id, d);
    return d;
  };
  return Math.max(0, ...plan.steps.map((s) => depth(s.id)));
}
