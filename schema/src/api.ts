import type {
  AgentProfile,
  AgentStatus,
  ConversationRecord,
  Feedback,
  Page,
  Plan,
  Prediction,
  RunEvent,
  Selection,
  WorkflowOptionsInput,
  WorkflowRecord,
  WorkflowRecordStatus,
  WorkflowTemplate,
} from '@revo/actors';
import type { QueryName, QueryParams, QueryRow } from '@revo/analytics/queries';

/** What the models behind this server are: said in the API so clients can show the offline model. */
export interface ModelInfo {
  ollamaBaseUrl: string;
  ollamaReachable: boolean;
  ollamaModels: string[];
  offlineOnly: boolean;
  chains: { agent: string; models: string[] }[];
}

/** A machine actor as the inspector shows it. */
export interface ActorView {
  id: string;
  name: string;
  kind: string;
  parentId: string | undefined;
  runId: string | undefined;
  status: string;
  value: unknown;
  context: unknown;
  definition: unknown;
  startedAt: number;
  updatedAt: number;
  snapshotCount: number;
}

/** One recorded snapshot or received event of an actor. */
export interface ActorUpdate {
  actorId: string;
  kind: 'snapshot' | 'event';
  index: number | undefined;
  at: number;
  eventType: string;
  event: unknown;
  status: string | undefined;
  value: unknown;
  context: unknown;
}

/** First the state as it is, then every change after it. */
export type WorkflowFeedItem =
  | { kind: 'snapshot'; workflow: WorkflowRecord; event?: undefined }
  | { kind: 'event'; event: RunEvent; workflow?: undefined };

export type ConversationFeedItem =
  | { kind: 'snapshot'; conversation: ConversationRecord; workflow: WorkflowRecord | undefined; event?: undefined }
  | { kind: 'event'; event: RunEvent; conversation?: undefined; workflow?: undefined };

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface SendMessageArgs {
  conversationId: string;
  text: string;
  mode?: 'single' | 'multi' | 'workflow' | null;
  agents?: string[] | null;
}

export interface RunWorkflowArgs {
  /** A planned workflow to run as planned. */
  runId?: string | null;
  templateId?: string | null;
  task?: string | null;
  plan?: Plan | null;
  agents?: string[] | null;
  options?: WorkflowOptionsInput | null;
}

export interface SaveTemplateArgs {
  id?: string | null;
  name: string;
  description?: string | null;
  plan: Plan;
  layout?: Record<string, { x: number; y: number }> | null;
}

export interface FeedbackArgs {
  runId: string;
  stepId?: string | null;
  rating: 'up' | 'down';
  comment?: string | null;
}

/**
 * Everything the schema's resolvers ask of the server. The server's actor host implements it; the
 * schema knows nothing else of the server. Bad input throws `ApiError`.
 */
export interface RevoApi {
  agents(): readonly AgentProfile[];
  agentStatuses(): AgentStatus[];
  /** Ranks agents for a task, with the history analytics has of them. */
  select(task: string): Promise<Selection>;
  /** A named analytics query; `UNAVAILABLE` when analytics is off. */
  analytics<N extends QueryName>(name: N, params?: QueryParams<N>): Promise<QueryRow<N>[]>;
  models(): ModelInfo;

  conversations(args: PageArgs): Promise<Page<ConversationRecord>>;
  conversation(id: string): Promise<ConversationRecord | undefined>;
  workflows(
    args: PageArgs & { status?: WorkflowRecordStatus | null; conversationId?: string | null },
  ): Promise<Page<WorkflowRecord>>;
  workflow(runId: string): Promise<WorkflowRecord | undefined>;
  events(runId: string, afterSeq: number): Promise<RunEvent[]>;
  templates(args: PageArgs): Promise<Page<WorkflowTemplate>>;
  template(id: string): Promise<WorkflowTemplate | undefined>;
  feedback(runId: string): Promise<Feedback[]>;
  actors(filter: { kind?: string | null; runId?: string | null; includeFinished?: boolean | null }): ActorView[];
  actor(id: string): ActorView | undefined;
  actorSnapshots(id: string, last: number): ActorUpdate[];

  startConversation(title?: string | null): Promise<ConversationRecord>;
  sendMessage(args: SendMessageArgs): Promise<{ conversation: ConversationRecord; runId: string | undefined }>;
  planWorkflow(args: { task: string; agents?: string[] | null }): Promise<WorkflowRecord>;
  runWorkflow(args: RunWorkflowArgs): Promise<WorkflowRecord>;
  cancelWorkflow(runId: string, reason?: string | null): Promise<WorkflowRecord>;
  retryWorkflow(runId: string): Promise<WorkflowRecord>;
  decideConflict(args: {
    runId: string;
    conflictId: string;
    position: string;
    by?: string | null;
  }): Promise<WorkflowRecord>;
  giveFeedback(args: FeedbackArgs): Promise<Feedback>;
  saveTemplate(args: SaveTemplateArgs): Promise<WorkflowTemplate>;
  deleteTemplate(id: string): Promise<boolean>;
  predict(plan: Plan, task: string): Promise<Prediction>;

  workflowFeed(runId: string): Promise<AsyncIterable<WorkflowFeedItem>>;
  conversationFeed(conversationId: string): Promise<AsyncIterable<ConversationFeedItem>>;
  agentStatusFeed(): Promise<AsyncIterable<AgentStatus>>;
  inspectorFeed(actorId: string): Promise<AsyncIterable<ActorUpdate>>;
}
