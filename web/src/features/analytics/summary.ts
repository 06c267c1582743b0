import type { AnalyticsData } from './operations';

/** The headline numbers of a window, summed from its daily trends and the local-share report. */
export interface AnalyticsSummary {
  runs: number;
  completed: number;
  /** Completed out of ended runs; `null` when none ended. */
  successRate: number | null;
  costUsd: number;
  localShare: number | null;
  savedUsd: number;
  cloudEquivalentUsd: number;
  conflicts: number;
  escalations: number;
}

export function summarize(data: AnalyticsData): AnalyticsSummary {
  const sum = (pick: (t: AnalyticsData['trends'][number]) => number) => data.trends.reduce((s, t) => s + pick(t), 0);
  const completed = sum((t) => t.completed);
  const ended = completed + sum((t) => t.failed) + sum((t) => t.cancelled);
  return {
    runs: sum((t) => t.runs),
    completed,
    successRate: ended === 0 ? null : completed / ended,
    costUsd: data.localShare?.costUsd ?? sum((t) => t.costUsd),
    localShare: data.localShare?.localShare ?? null,
    savedUsd: data.localShare?.savedUsd ?? 0,
    cloudEquivalentUsd: data.localShare?.cloudEquivalentUsd ?? 0,
    conflicts: sum((t) => t.conflicts),
    escalations: sum((t) => t.escalations),
  };
}

/** True when the window holds nothing to chart. */
export const isEmpty = (data: AnalyticsData): boolean =>
  data.trends.length === 0 && data.agentPerformance.length === 0 && (data.localShare?.calls ?? 0) === 0;

/** The `since` choices: a label and how far back (`null`: everything). */
export const windows = [
  { id: '1d', label: '24 h', days: 1 },
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
  { id: '90d', label: '90 days', days: 90 },
  { id: 'all', label: 'All', days: null },
] as const;
export type WindowId = (typeof windows)[number]['id'];

/** The `since` argument for a window, from `now`. */
export function sinceFor(id: WindowId, now: number): string {
  const days = windows.find((w) => w.id === id)?.days ?? null;
  return new Date(days === null ? 0 : now - days * 86_400_000).toISOString();
}
