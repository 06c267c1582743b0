/**
 * TypeScript shapes of reVo's GraphQL schema (`schema/schema.graphql`), by hand, all in this file: each
 * type lists every field; an operation says what it selects with `Pick<...>` (see `operations.ts`).
 * `Timestamp` is an ISO 8601 string. `RunEvent.data` is the whole domain event: its type is the union
 * `RunEvent` of `@revo/actors` (lower-case enums, raw usage totals), imported as a type only.
 */
import type { RunEvent as DomainRunEvent } from '@revo/actors';

export type Timestamp = string;
export type JSONValue = unknown;

export type ChatMode = 'SINGLE' | 'MULTI' | 'WORKFLOW';
export type Role = 'USER' | 'ASSISTANT';
export type Rating = 'UP' | 'DOWN';
export type ConversationStatus = 'IDLE' | 'RESPONDING' | 'AWAITING_HUMAN';
export type WorkflowStatus = 'PLANNED' | 'RUNNING' | 'AWAITING_HUMAN' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
export type StepStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';
export type ConflictStatus = 'OPEN' | 'DISCUSSING' | 'ESCALATED' | 'RESOLVED';
export type Resolution = 'CONSENSUS' | 'VOTE' | 'HUMAN';
export type AnswerFlag = 'NONE' | 'FAILED_CHECK' | 'NEEDS_REVIEW';
export type Provider = 'OLLAMA' | 'OPENAI' | 'ANTHROPIC' | 'OFFLINE' | 'FAKE';
export type AgentState = 'IDLE' | 'WORKING';
export type FeedKind = 'SNAPSHOT' | 'EVENT';

export interface PageInfo {
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface Capability {
  name: string;
  weight: number;
  keywords: string[];
}

export interface AgentStatus {
  agent: string;
  state: AgentState;
  active: number;
  calls: number;
  failures: number;
  lastModel: string | null;
  lastRunId: string | null;
  updatedAt: Timestamp | null;
}

export interface Agent {
  id: string;
  name: string;
  description: string;
  tier: string;
  locality: string;
  costClass: number;
  models: string[];
  positions: string[] | null;
  capabilities: Capability[];
  status: AgentStatus;
}

export interface ScoreParts {
  capability: number;
  history: number;
  load: number;
  cost: number;
}

export interface RankedAgent {
  agent: string;
  score: number;
  why: string;
  matched: string[];
  parts: ScoreParts;
}

export interface TaskClause {
  agent: string;
  score: number;
  text: string;
}

export interface Selection {
  task: string;
  chosen: string[];
  ranking: RankedAgent[];
  clauses: TaskClause[];
}

export interface ModelChain {
  agent: string;
  models: string[];
}

export interface ModelInfo {
  offlineOnly: boolean;
  ollamaReachable: boolean;
  ollamaBaseUrl: string;
  ollamaModels: string[];
  chains: ModelChain[];
}

export interface Usage {
  model: string;
  provider: Provider;
  local: boolean;
  offline: boolean;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number;
}

export interface UsageTotals {
  calls: number;
  localCalls: number;
  offlineCalls: number;
  localShare: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number;
}

export interface CostLine {
  agent: string;
  model: string;
  calls: number;
  local: boolean;
  costUsd: number;
  tokensIn: number;
  tokensOut: number;
}

export interface AgentAnswer {
  answer: string;
  position: string;
  confidence: number;
  rationale: string;
  flag: AnswerFlag;
  model: string;
  offline: boolean;
  usage: Usage;
}

export interface Step {
  id: string;
  agent: string;
  instruction: string;
  dependsOn: string[];
  question: string | null;
  insertedFor: string | null;
  status: StepStatus;
  answer: AgentAnswer | null;
  error: string | null;
  startedAt: Timestamp | null;
  endedAt: Timestamp | null;
  elapsedMs: number | null;
}

export interface Stance {
  agent: string;
  position: string;
  confidence: number;
  rationale: string;
  answer: string;
}

export interface DiscussionRound {
  round: number;
  stances: Stance[];
}

export interface VoteTally {
  position: string;
  weight: number;
  voters: string[];
}

export interface TranscriptEntry extends Stance {
  round: number;
}

export interface Discussion {
  conflictId: string;
  status: ConflictStatus;
  rounds: DiscussionRound[];
  transcript: TranscriptEntry[];
  tally: VoteTally[];
  resolution: Resolution | null;
  winner: string | null;
}

export interface ConflictPosition {
  agent: string;
  step: string;
  position: string;
}

export interface Conflict {
  id: string;
  question: string;
  status: ConflictStatus;
  steps: string[];
  positions: ConflictPosition[];
  options: string[];
  discussion: Discussion;
  tally: VoteTally[];
  resolution: Resolution | null;
  winner: string | null;
  decidedBy: string | null;
}

export interface PlanStep {
  id: string;
  agent: string;
  instruction: string;
  dependsOn: string[];
  question: string | null;
  insertedFor: string | null;
}

export interface Plan {
  planner: string;
  rationale: string;
  steps: PlanStep[];
}

export interface Prediction {
  successProbability: number;
  durationMs: number;
  costUsd: number;
  confidence: number;
  risks: string[];
  basis: string;
}

export interface Feedback {
  id: string;
  runId: string;
  stepId: string | null;
  agent: string | null;
  rating: Rating;
  comment: string;
  at: Timestamp;
}

/** One domain event of a run; `data` is the whole event as the server published it. */
export interface RunEvent {
  runId: string;
  seq: number;
  at: Timestamp;
  type: DomainRunEvent['type'];
  stepId: string | null;
  agent: string | null;
  delta: string | null;
  state: string | null;
  conflictId: string | null;
  data: DomainRunEvent;
}

export interface Workflow {
  runId: string;
  conversationId: string | null;
  task: string;
  mode: ChatMode;
  state: string;
  status: WorkflowStatus;
  seq: number;
  answer: string;
  error: string;
  offline: boolean;
  localShare: number;
  plan: Plan | null;
  prediction: Prediction | null;
  steps: Step[];
  conflicts: Conflict[];
  discussions: Discussion[];
  usage: UsageTotals;
  costBreakdown: CostLine[];
  feedback: Feedback[];
  events: RunEvent[];
  requestedAgents: string[] | null;
  retryOf: string | null;
  templateId: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  endedAt: Timestamp | null;
}

export interface Message {
  id: string;
  role: Role;
  content: string;
  mode: ChatMode;
  runId: string | null;
  status: WorkflowStatus | null;
  agents: string[];
  usage: UsageTotals | null;
  offline: boolean;
}

export interface Conversation {
  id: string;
  title: string;
  status: ConversationStatus;
  messages: Message[];
  awaiting: Conflict | null;
  activeRunId: string | null;
  activeWorkflow: Workflow | null;
  queued: number;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface Connection<T> {
  nodes: T[];
  pageInfo: PageInfo;
}

export interface ConversationFeedItem {
  kind: FeedKind;
  conversation: Conversation | null;
  workflow: Workflow | null;
  event: RunEvent | null;
}

export interface WorkflowFeedItem {
  kind: FeedKind;
  workflow: Workflow | null;
  event: RunEvent | null;
}

export interface NodePosition {
  stepId: string;
  x: number;
  y: number;
}

export interface WorkflowTemplate {
  id: string;
  name: string;
  description: string;
  plan: Plan;
  layout: NodePosition[];
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface Actor {
  id: string;
  kind: string;
  name: string;
  parentId: string | null;
  runId: string | null;
  status: string;
  value: JSONValue;
  context: JSONValue;
  definition: JSONValue;
  snapshotCount: number;
  startedAt: Timestamp;
  updatedAt: Timestamp;
}

export interface ActorUpdate {
  actorId: string;
  kind: FeedKind;
  at: Timestamp;
  eventType: string;
  index: number | null;
  status: string | null;
  value: JSONValue;
  context: JSONValue;
  event: JSONValue;
}

export interface SendMessageInput {
  conversationId: string;
  text: string;
  mode?: ChatMode;
  agents?: string[] | null;
}

export interface PlanStepInput {
  id: string;
  agent: string;
  instruction: string;
  dependsOn?: string[];
  question?: string | null;
}

export interface PlanInput {
  rationale?: string | null;
  steps: PlanStepInput[];
}

export interface NodePositionInput {
  stepId: string;
  x: number;
  y: number;
}
