import type { Turn } from '@/features/chat/turn-state';
import type { Outcome } from './prediction-panel';

/** Steps done out of all, for the progress line. */
export function stepProgress(turn: Turn): { done: number; total: number } {
  const done = turn.steps.filter((s) => s.status !== 'PENDING' && s.status !== 'RUNNING').length;
  return { done, total: turn.steps.length };
}

/** Wall-clock time of a run: first step start to last step end (or `now` while it runs). */
export function runDuration(turn: Turn, now: number): number | null {
  const starts = turn.steps.flatMap((s) => (s.startedAt ? [Date.parse(s.startedAt)] : []));
  if (starts.length === 0) return null;
  const running = turn.steps.some((s) => s.status === 'RUNNING');
  const ends = turn.steps.flatMap((s) => (s.endedAt ? [Date.parse(s.endedAt)] : []));
  const end = running || ends.length === 0 ? now : Math.max(...ends);
  return Math.max(0, end - Math.min(...starts));
}

/** The cost so far: the run's totals once known, else the sum over answered steps. */
export function runCost(turn: Turn): number {
  if (turn.usage) return turn.usage.costUsd;
  return turn.steps.reduce((sum, s) => sum + (s.answer?.usage.costUsd ?? 0), 0);
}

/** What happened, to compare with the prediction; `null` until the run ends. */
export function runOutcome(turn: Turn, now: number): Outcome | null {
  if (turn.status !== 'COMPLETED' && turn.status !== 'FAILED' && turn.status !== 'CANCELLED') return null;
  return { succeeded: turn.status === 'COMPLETED', durationMs: runDuration(turn, now), costUsd: runCost(turn) };
}
