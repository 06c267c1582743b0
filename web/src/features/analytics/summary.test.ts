import { describe, expect, it } from 'vitest';
import type { AnalyticsData } from './operations';
import { isEmpty, sinceFor, summarize } from './summary';

const day = (d: string, patch: Partial<AnalyticsData['trends'][number]>): AnalyticsData['trends'][number] => ({
  day: d,
  runs: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
  successRate: null,
  costUsd: 0,
  localShare: null,
  conflicts: 0,
  escalations: 0,
  calls: 0,
  steps: 0,
  ...patch,
});

const empty: AnalyticsData = {
  agentPerformance: [],
  costBreakdown: [],
  localShare: null,
  trends: [],
  workflowSuccessByShape: [],
  conflicts: [],
};

describe('analytics summary', () => {
  it('sums the days of the window and takes money from the local-share report', () => {
    const summary = summarize({
      ...empty,
      trends: [
        day('2026-11-23', { runs: 3, completed: 2, failed: 1, conflicts: 1, escalations: 1, costUsd: 0.5 }),
        day('2026-11-24', { runs: 2, completed: 1, cancelled: 0 }),
      ],
      localShare: {
        calls: 10,
        localCalls: 8,
        localShare: 0.8,
        tokens: 1000,
        localTokens: 800,
        costUsd: 0.4,
        cloudEquivalentUsd: 2,
        savedUsd: 1.6,
      },
    });
    expect(summary).toEqual({
      runs: 5,
      completed: 3,
      successRate: 0.75,
      costUsd: 0.4,
      localShare: 0.8,
      savedUsd: 1.6,
      cloudEquivalentUsd: 2,
      conflicts: 1,
      escalations: 1,
    });
  });

  it('has no success rate before any run ended, and knows an empty window', () => {
    expect(summarize({ ...empty, trends: [day('2026-11-24', { runs: 1 })] }).successRate).toBeNull();
    expect(isEmpty(empty)).toBe(true);
    expect(isEmpty({ ...empty, trends: [day('2026-11-24', { runs: 1 })] })).toBe(false);
  });

  it('turns a window into the since argument', () => {
    const now = Date.parse('2026-11-24T12:00:00Z');
    expect(sinceFor('7d', now)).toBe('2026-11-17T12:00:00.000Z');
    expect(sinceFor('all', now)).toBe('1970-01-01T00:00:00.000Z');
  });
});
