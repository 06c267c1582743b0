import type { Conflict } from '../domain/conflict';
import type { AgentId, StepId } from '../domain/ids';
import type { Plan } from '../domain/plan';
import type { StepStates } from './step-graph';

/**
 * Steps that answered the same question and took different positions make a conflict. Groups that
 * already have one are left alone, so reconciling can run again after each resolution.
 */
export function detectConflicts(plan: Plan, steps: StepStates, existing: readonly Conflict[]): Conflict[] {
  const seen = new Set(existing.map((c) => c.question));
  const groups = new Map<string, typeof plan.steps>();
  for (const step of plan.steps) {
    if (!step.question || steps[step.id]?.status !== 'succeeded') continue;
    groups.set(step.question, [...(groups.get(step.question) ?? []), step]);
  }
  const found: Conflict[] = [];
  for (const [question, members] of groups) {
    if (seen.has(question) || members.length < 2) continue;
    const positions = members.map((s) => ({
      agent: s.agent as AgentId,
      step: s.id as StepId,
      position: steps[s.id]?.answer?.position ?? '',
    }));
    if (new Set(positions.map((p) => p.position)).size < 2) continue;
    found.push({
      id: `c${existing.length + found.length + 1}`,
      question,
      steps: members.map((s) => s.id),
      positions,
      status: 'open',
      rounds: [],
      tally: [],
    });
  }
  return found;
}
