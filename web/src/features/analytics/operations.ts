/**
 * The GraphQL operation of the analytics page and the shapes it reads (the analytics types are
 * not in `lib/graphql/schema-types.ts`; they are written here from `schema/schema.graphql`).
 */
import { defineOperation } from '@/features/workflows/define-operation';

export interface AgentPerformance {
  agent: string;
  runs: number;
  steps: number;
  successRate: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  costPerTask: number;
  costUsd: number;
  satisfaction: number | null;
  ratings: number;
  discussions: number;
}

export interface CostByAgentModel {
  agent: string;
  model: string;
  provider: string;
  local: boolean;
  calls: number;
  tokens: number;
  costUsd: number;
  costShare: number | null;
}

export interface LocalShare {
  calls: number;
  localCalls: number;
  localShare: number | null;
  tokens: number;
  localTokens: number;
  costUsd: number;
  cloudEquivalentUsd: number;
  savedUsd: number;
}

export interface DailyTrend {
  day: string;
  runs: number;
  completed: number;
  failed: number;
  cancelled: number;
  successRate: number | null;
  costUsd: number;
  localShare: number | null;
  conflicts: number;
  escalations: number;
  calls: number;
  steps: number;
}

export interface WorkflowShapeSuccess {
  mode: string;
  shape: string;
  stepsBucket: string;
  depth: number;
  width: number;
  runs: number;
  completed: number;
  failed: number;
  successRate: number | null;
  avgDurationMs: number;
}

export interface ConflictOutcome {
  resolution: string;
  conflicts: number;
  share: number;
  avgRounds: number;
  escalated: number;
}

export interface AnalyticsData {
  agentPerformance: AgentPerformance[];
  costBreakdown: CostByAgentModel[];
  localShare: LocalShare | null;
  trends: DailyTrend[];
  workflowSuccessByShape: WorkflowShapeSuccess[];
  conflicts: ConflictOutcome[];
}

export const AnalyticsQuery = defineOperation<{ analytics: AnalyticsData }, { since: string | null }>(
  `query Analytics($since: Timestamp) {
  analytics(since: $since) {
    agentPerformance { agent runs steps successRate p50LatencyMs p95LatencyMs costPerTask costUsd satisfaction ratings discussions }
    costBreakdown { agent model provider local calls tokens costUsd costShare }
    localShare { calls localCalls localShare tokens localTokens costUsd cloudEquivalentUsd savedUsd }
    trends { day runs completed failed cancelled successRate costUsd localShare conflicts escalations calls steps }
    workflowSuccessByShape { mode shape stepsBucket depth width runs completed failed successRate avgDurationMs }
    conflicts { resolution conflicts share avgRounds escalated }
  }
}`,
);
