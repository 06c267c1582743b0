import type { QueryName, QueryRow } from '@revo/analytics/queries';
import { builder } from '../builder';

type Kind = 'String' | 'Int' | 'Float' | 'Float?' | 'Boolean';
/** The GraphQL field kinds of a named query's row: every column, checked against the row type. */
type Columns<N extends QueryName> = { [K in keyof QueryRow<N>]: Kind };

function rowType<N extends QueryName>(name: string, description: string, columns: Columns<N>) {
  return builder.objectRef<QueryRow<N>>(name).implement({
    description,
    fields: (t) => {
      const field = (column: string, kind: Kind) => {
        const resolve = (row: QueryRow<N>) => (row as Record<string, unknown>)[column] as never;
        if (kind === 'String') return t.string({ resolve });
        if (kind === 'Int') return t.int({ resolve });
        if (kind === 'Boolean') return t.boolean({ resolve });
        return t.float({ nullable: kind === 'Float?', resolve });
      };
      return Object.fromEntries(
        Object.entries(columns as Record<string, Kind>).map(([column, kind]) => [column, field(column, kind)]),
      );
    },
  });
}

const AgentPerformance = rowType<'agent-performance'>(
  'AgentPerformance',
  'Per agent over the window: runs, steps, success rate, latency percentiles, cost per task, satisfaction, discussions.',
  {
    agent: 'String',
    runs: 'Int',
    steps: 'Int',
    successRate: 'Float',
    p50LatencyMs: 'Float?',
    p95LatencyMs: 'Float?',
    costUsd: 'Float',
    costPerTask: 'Float',
    ratings: 'Int',
    satisfaction: 'Float?',
    discussions: 'Int',
    prevailed: 'Float?',
    movedToConsensus: 'Float?',
  },
);
const AgentSpecialisation = rowType<'agent-specialisation'>(
  'AgentSpecialisation',
  'Per agent and task category: how much of the work and how well.',
  {
    agent: 'String',
    taskCategory: 'String',
    runs: 'Int',
    steps: 'Int',
    completed: 'Int',
    successRate: 'Float',
    stepShare: 'Float',
  },
);
const CostLineAnalytics = rowType<'cost-breakdown'>('CostByAgentModel', 'Cost per agent and model.', {
  agent: 'String',
  model: 'String',
  provider: 'String',
  local: 'Boolean',
  calls: 'Int',
  tokensIn: 'Int',
  tokensOut: 'Int',
  tokens: 'Int',
  costUsd: 'Float',
  costShare: 'Float?',
});
const LocalShare = rowType<'local-share'>(
  'LocalShare',
  'How much local models served, and the money saved against the configured cloud price.',
  {
    calls: 'Int',
    localCalls: 'Int',
    localShare: 'Float?',
    tokens: 'Int',
    localTokens: 'Int',
    costUsd: 'Float',
    cloudEquivalentUsd: 'Float',
    savedUsd: 'Float',
  },
);
const Trend = rowType<'trends'>('DailyTrend', 'One day of runs, cost, local share and conflicts.', {
  day: 'String',
  runs: 'Int',
  completed: 'Int',
  failed: 'Int',
  cancelled: 'Int',
  successRate: 'Float?',
  steps: 'Int',
  stepSuccessRate: 'Float?',
  calls: 'Int',
  costUsd: 'Float',
  localShare: 'Float?',
  conflicts: 'Int',
  escalations: 'Int',
});
const ShapeSuccess = rowType<'workflow-success-by-shape'>(
  'WorkflowShapeSuccess',
  'Workflow success by mode and plan shape.',
  {
    mode: 'String',
    shape: 'String',
    stepsBucket: 'String',
    depth: 'Int',
    width: 'Int',
    runs: 'Int',
    completed: 'Int',
    failed: 'Int',
    cancelled: 'Int',
    successRate: 'Float?',
    avgDurationMs: 'Float',
  },
);
const ConflictOutcome = rowType<'conflicts'>('ConflictOutcome', 'Conflicts by how they were resolved.', {
  resolution: 'String',
  conflicts: 'Int',
  share: 'Float',
  avgRounds: 'Float',
  escalated: 'Int',
});

/** The analytics queries' root; the window starts at `since` (default: 30 days ago). */
const AnalyticsRef = builder.objectRef<{ since: Date | undefined }>('Analytics').implement({
  description: 'The named ClickHouse queries (analytics/queries/*.sql) over a window.',
  fields: (t) => ({
    agentPerformance: t.field({
      type: [AgentPerformance],
      resolve: ({ since }, _, { api }) => api.analytics('agent-performance', { since }),
    }),
    agentSpecialisation: t.field({
      type: [AgentSpecialisation],
      resolve: ({ since }, _, { api }) => api.analytics('agent-specialisation', { since }),
    }),
    costBreakdown: t.field({
      type: [CostLineAnalytics],
      resolve: ({ since }, _, { api }) => api.analytics('cost-breakdown', { since }),
    }),
    localShare: t.field({
      type: LocalShare,
      nullable: true,
      args: { cloudPricePer1k: t.arg.float({ description: 'USD per 1,000 tokens; default from the server.' }) },
      resolve: async ({ since }, { cloudPricePer1k }, { api }) =>
        (
          await api.analytics('local-share', {
            since,
            ...(cloudPricePer1k != null ? { cloud_price_per_1k: cloudPricePer1k } : {}),
          })
        )[0] ?? null,
    }),
    trends: t.field({ type: [Trend], resolve: ({ since }, _, { api }) => api.analytics('trends', { since }) }),
    workflowSuccessByShape: t.field({
      type: [ShapeSuccess],
      resolve: ({ since }, _, { api }) => api.analytics('workflow-success-by-shape', { since }),
    }),
    conflicts: t.field({
      type: [ConflictOutcome],
      resolve: ({ since }, _, { api }) => api.analytics('conflicts', { since }),
    }),
  }),
});

builder.queryFields((t) => ({
  analytics: t.field({
    type: AnalyticsRef,
    description: 'Analytics from ClickHouse; errors with UNAVAILABLE when analytics is off.',
    args: { since: t.arg({ type: 'Timestamp', description: 'Start of the window; default 30 days ago.' }) },
    resolve: (_, { since }) => ({ since: since == null ? undefined : new Date(since) }),
  }),
}));
