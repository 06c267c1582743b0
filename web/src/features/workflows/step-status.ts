import type { StepStatus } from '@/lib/graphql/schema-types';

/** How each step status reads next to a step. */
export const stepStatusLabel: Record<StepStatus, string> = {
  PENDING: 'waiting',
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  SKIPPED: 'skipped',
  CANCELLED: 'cancelled',
};

/** A step's time so far: its recorded elapsed time, or since it started while it runs. */
export function stepElapsed(
  step: { status: StepStatus; elapsedMs: number | null; startedAt: string | null },
  now: number,
): number | null {
  if (step.elapsedMs !== null) return step.elapsedMs;
  if (step.status === 'RUNNING' && step.startedAt) return Math.max(0, now - Date.parse(step.startedAt));
  return null;
}
