import type { PlannedStep } from '../domain/plan';
import type { StepStates } from './step-graph';

const MAX_DEP_CHARS = 4_000;

/** The prompt one step's agent gets: the task, its instruction, and its dependencies' results. */
export function stepPrompt(
  task: string,
  step: PlannedStep,
  steps: StepStates,
  agentOf: (id: string) => string,
): string {
  const lines = [`Task: ${task}`, `Your step (${step.id}): ${step.instruction}`];
  const deps = step.dependsOn.filter((dep) => steps[dep]?.answer || steps[dep]?.error);
  if (deps.length > 0) {
    lines.push('Results of the steps this one depends on:');
    for (const dep of deps) {
      const state = steps[dep];
      const body = state?.answer
        ? `position: ${state.answer.position}; flag: ${state.answer.flag}\n${state.answer.answer.slice(0, MAX_DEP_CHARS)}`
        : `failed: ${state?.error ?? 'unknown error'}`;
      lines.push(`### ${dep} (${agentOf(dep)})\n${body}`);
    }
  }
  return lines.join('\n');
}
