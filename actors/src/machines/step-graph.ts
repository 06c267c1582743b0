import type { AgentAnswer } from '../domain/agent-answer';
import type { Plan, PlannedStep, StepStatus } from '../domain/plan';

/** What the workflow knows of one step while it runs. */
export interface StepState {
  status: StepStatus;
  answer?: AgentAnswer;
  error?: string;
}

export type StepStates = Record<string, StepState>;

/**
 * A step is ready when it is pending and every dependency succeeded, or failed and this step was
 * inserted to repair it (a debugger step after a failing test reads the failure).
 */
export function readySteps(plan: Plan, steps: StepStates): PlannedStep[] {
  return plan.steps.filter(
    (step) =>
      steps[step.id]?.status === 'pending' &&
      step.dependsOn.every((dep) => {
        const status = steps[dep]?.status;
        return status === 'succeeded' || (status === 'failed' && step.insertedFor === dep);
      }),
  );
}

export const runningCount = (steps: StepStates): number =>
  Object.values(steps).filter((s) => s.status === 'running').length;

/** Marks every pending step that can no longer become ready as skipped; returns the skipped ids. */
export function skipBlocked(plan: Plan, steps: StepStates): { steps: StepStates; skipped: string[] } {
  const next: StepStates = { ...steps };
  const skipped: string[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const step of plan.steps) {
      if (next[step.id]?.status !== 'pending') continue;
      const blocked = step.dependsOn.some((dep) => {
        const status = next[dep]?.status;
        const repairable = status === 'failed' && step.insertedFor === dep;
        return (status === 'failed' && !repairable) || status === 'skipped' || status === 'cancelled';
      });
      if (blocked) {
        next[step.id] = { status: 'skipped', error: 'a step it depends on did not succeed' };
        skipped.push(step.id);
        changed = true;
      }
    }
  }
  return { steps: next, skipped };
}

/**
 * Failed or skipped steps that nothing repaired. A failed step counts as repaired when the planner
 * inserted steps for it and all of those succeeded (or were themselves repaired).
 */
export function unrepairedSteps(plan: Plan, steps: StepStates): string[] {
  const repairs = new Map<string, string[]>();
  for (const step of plan.steps) {
    if (step.insertedFor) repairs.set(step.insertedFor, [...(repairs.get(step.insertedFor) ?? []), step.id]);
  }
  const ok = (id: string, depth = 0): boolean => {
    const status = steps[id]?.status;
    if (status === 'succeeded') return true;
    if (status !== 'failed' || depth > 16) return false;
    const fixes = repairs.get(id) ?? [];
    return fixes.length > 0 && fixes.every((fix) => ok(fix, depth + 1));
  };
  return plan.steps.filter((s) => !ok(s.id)).map((s) => s.id);
}

/** True when no step is running and none can start: the graph has settled. */
export const settled = (plan: Plan, steps: StepStates): boolean =>
  runningCount(steps) === 0 && readySteps(plan, steps).length === 0;

/** Steps that had not finished when the run stopped, marked cancelled. */
export const cancelUnfinished = (steps: StepStates): StepStates =>
  Object.fromEntries(
    Object.entries(steps).map(([id, s]) => [
      id,
      s.status === 'running' || s.status === 'pending' ? { ...s, status: 'cancelled' as const } : s,
    ]),
  );
