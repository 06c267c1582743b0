import type { Conflict } from '../domain/conflict';
import type { Plan, PlannedStep } from '../domain/plan';
import type { StepStates } from './step-graph';

/**
 * One answer from many steps: for each question group the winning position's most confident
 * answer (or the decision a person made), then each remaining final step's answer. Steps that
 * others depend on, or that a repair superseded, are folded into what came after them.
 */
export function mergeAnswer(plan: Plan, steps: StepStates, conflicts: readonly Conflict[]): string {
  const dependedOn = new Set(plan.steps.flatMap((s) => s.dependsOn));
  const superseded = new Set(plan.steps.flatMap((s) => (s.insertedFor ? [s.insertedFor] : [])));
  const finals = plan.steps.filter(
    (s) => !dependedOn.has(s.id) && !superseded.has(s.id) && steps[s.id]?.status === 'succeeded',
  );
  const sections: string[] = [];
  const doneQuestions = new Set<string>();
  for (const step of finals) {
    if (step.question) {
      if (doneQuestions.has(step.question)) continue;
      doneQuestions.add(step.question);
      sections.push(questionSection(step.question, plan.steps, steps, conflicts));
    } else {
      sections.push(heading(step, finals.length) + (steps[step.id]?.answer?.answer ?? ''));
    }
  }
  const earlier = plan.steps.filter((s) => !finals.includes(s) && steps[s.id]?.answer);
  if (earlier.length > 0 && !plan.steps.every((s) => s.question)) {
    const trail = earlier.map((s) => `${s.id} (${s.agent}): ${steps[s.id]?.answer?.position}`).join('; ');
    sections.push(`Earlier steps: ${trail}.`);
  }
  return sections.join('\n\n').trim();
}

function questionSection(
  question: string,
  all: PlannedStep[],
  steps: StepStates,
  conflicts: readonly Conflict[],
): string {
  const members = all.filter((s) => s.question === question && steps[s.id]?.status === 'succeeded');
  const conflict = conflicts.find((c) => c.question === question);
  const winner = conflict?.winner;
  const pool = winner ? members.filter((s) => steps[s.id]?.answer?.position === winner) : members;
  const best = [...(pool.length > 0 ? pool : members)].sort(
    (a, b) => (steps[b.id]?.answer?.confidence ?? 0) - (steps[a.id]?.answer?.confidence ?? 0),
  )[0];
  const body = best ? (steps[best.id]?.answer?.answer ?? '') : '';
  if (!conflict || !winner) return body;
  const how =
    conflict.resolution === 'human'
      ? `decided by ${conflict.decidedBy ?? 'a person'}`
      : conflict.resolution === 'consensus'
        ? `consensus after ${Math.max(0, conflict.rounds.length - 1)} round(s)`
        : 'weighted vote';
  return `Decision: ${winner} (${how}).\n\n${body}`;
}

const heading = (step: PlannedStep, count: number) => (count > 1 ? `### ${step.agent} (${step.id})\n` : '');
