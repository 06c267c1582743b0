/**
 * Every GraphQL operation the web app sends, each typed with its result and variables. Add new ones
 * here (one place, checked against `schema/schema.graphql` by `operations.test.ts`).
 */
import type {
  Agent,
  AgentStatus,
  Conflict,
  Connection,
  Conversation,
  ConversationFeedItem,
  DiscussionRound,
  Feedback,
  Message,
  ModelInfo,
  Rating,
  Selection,
  SendMessageInput,
  Workflow,
  WorkflowFeedItem,
} from './schema-types';

export type OperationKind = 'query' | 'mutation' | 'subscription';

/** A GraphQL document tagged with the types of its result and variables. */
export interface Operation<TData, TVariables> {
  readonly kind: OperationKind;
  readonly name: string;
  readonly document: string;
  /** Never set: carries the types only. */
  readonly __types?: (variables: TVariables) => TData;
}

export type ResultOf<T> = T extends Operation<infer D, unknown> ? D : never;
export type VariablesOf<T> = T extends Operation<unknown, infer V> ? V : never;
export type NoVariables = Record<string, never>;

function operation<TData, TVariables = NoVariables>(document: string): Operation<TData, TVariables> {
  const match = /^\s*(query|mutation|subscription)\s+(\w+)/.exec(document);
  if (!match) throw new Error(`an operation needs a kind and a name: ${document.slice(0, 60)}`);
  return { kind: match[1] as OperationKind, name: match[2] as string, document: document.trim() };
}

// Field lists shared by several operations (plain strings: no fragment definitions to keep in sync).
const usageTotals = 'calls localCalls offlineCalls localShare tokensIn tokensOut costUsd latencyMs';
const messageFields = `id role content mode runId status agents offline usage { ${usageTotals} }`;
const conflictFields = `id question status options steps winner resolution decidedBy
  positions { agent step position }
  tally { position weight voters }
  discussion { rounds { round stances { agent position confidence rationale answer } } }`;
const stepFields = `id agent instruction dependsOn question insertedFor status error startedAt endedAt elapsedMs
  answer { answer position confidence rationale flag model offline
    usage { model provider local offline tokensIn tokensOut costUsd latencyMs } }`;
const turnFields = `runId conversationId task mode state status seq answer error offline localShare
  usage { ${usageTotals} }
  steps { ${stepFields} }
  conflicts { ${conflictFields} }
  costBreakdown { agent model calls local costUsd tokensIn tokensOut }`;
const conversationFields = `id title status activeRunId queued updatedAt
  messages { ${messageFields} }
  awaiting { ${conflictFields} }`;
const eventFields = 'runId seq at type stepId agent delta state conflictId data';

/** A conflict as the chat selects it: its discussion's rounds, not the transcript. */
export type ConflictFields = Omit<Conflict, 'discussion'> & { discussion: { rounds: DiscussionRound[] } };
/** A run as the chat draws it (a conversation turn is a workflow). */
export type TurnWorkflow = Pick<
  Workflow,
  | 'runId'
  | 'conversationId'
  | 'task'
  | 'mode'
  | 'state'
  | 'status'
  | 'seq'
  | 'answer'
  | 'error'
  | 'offline'
  | 'localShare'
  | 'usage'
  | 'steps'
  | 'costBreakdown'
> & { conflicts: ConflictFields[] };
export type ConversationFields = Pick<
  Conversation,
  'id' | 'title' | 'status' | 'activeRunId' | 'queued' | 'updatedAt' | 'messages'
> & { awaiting: ConflictFields | null };
export type ConversationSummary = Pick<Conversation, 'id' | 'title' | 'status' | 'updatedAt'>;
export type AgentSummary = Pick<Agent, 'id' | 'name' | 'description' | 'tier' | 'models'> & {
  status: Pick<AgentStatus, 'state' | 'active'>;
};
export type ModelsSummary = Pick<ModelInfo, 'offlineOnly' | 'ollamaReachable' | 'ollamaBaseUrl' | 'ollamaModels'>;
export type MessageFields = Message;
export type ConversationFeed = Omit<ConversationFeedItem, 'conversation' | 'workflow'> & {
  conversation: ConversationFields | null;
  workflow: TurnWorkflow | null;
};
export type WorkflowFeed = Omit<WorkflowFeedItem, 'workflow'> & { workflow: TurnWorkflow | null };

export const ModelsQuery = operation<{ models: ModelsSummary }>(
  'query Models { models { offlineOnly ollamaReachable ollamaBaseUrl ollamaModels } }',
);

export const AgentsQuery = operation<{ agents: AgentSummary[] }>(
  'query Agents { agents { id name description tier models status { state active } } }',
);

export const AgentSelectionQuery = operation<
  { agentSelection: Pick<Selection, 'task' | 'chosen'> & { ranking: Omit<Selection['ranking'][number], 'parts'>[] } },
  { task: string }
>(
  'query AgentSelection($task: String!) { agentSelection(task: $task) { task chosen ranking { agent score why matched } } }',
);

export const ConversationsQuery = operation<
  { conversations: Connection<ConversationSummary> },
  { first?: number; after?: string | null }
>(`query Conversations($first: Int, $after: String) {
  conversations(first: $first, after: $after) { nodes { id title status updatedAt } pageInfo { endCursor hasNextPage } }
}`);

export const ConversationQuery = operation<{ conversation: ConversationFields | null }, { id: string }>(
  `query Conversation($id: ID!) { conversation(id: $id) { ${conversationFields} } }`,
);

export const WorkflowQuery = operation<{ workflow: TurnWorkflow | null }, { runId: string }>(
  `query Workflow($runId: ID!) { workflow(runId: $runId) { ${turnFields} } }`,
);

export const StartConversationMutation = operation<
  { startConversation: ConversationSummary },
  { title?: string | null }
>('mutation StartConversation($title: String) { startConversation(title: $title) { id title status updatedAt } }');

export const SendMessageMutation = operation<
  { sendMessage: { runId: string | null; conversation: Pick<Conversation, 'id' | 'status'> } },
  { input: SendMessageInput }
>(
  'mutation SendMessage($input: SendMessageInput!) { sendMessage(input: $input) { runId conversation { id status } } }',
);

export const DecideConflictMutation = operation<
  { decideConflict: Pick<Workflow, 'runId' | 'status'> },
  { runId: string; conflictId: string; position: string }
>(`mutation DecideConflict($runId: ID!, $conflictId: ID!, $position: String!) {
  decideConflict(runId: $runId, conflictId: $conflictId, position: $position) { runId status }
}`);

export const CancelWorkflowMutation = operation<
  { cancelWorkflow: Pick<Workflow, 'runId' | 'status'> },
  { runId: string; reason?: string | null }
>(
  'mutation CancelWorkflow($runId: ID!, $reason: String) { cancelWorkflow(runId: $runId, reason: $reason) { runId status } }',
);

export const GiveFeedbackMutation = operation<
  { giveFeedback: Pick<Feedback, 'id' | 'rating' | 'comment'> },
  { runId: string; stepId?: string | null; rating: Rating; comment?: string | null }
>(`mutation GiveFeedback($runId: ID!, $stepId: ID, $rating: Rating!, $comment: String) {
  giveFeedback(runId: $runId, stepId: $stepId, rating: $rating, comment: $comment) { id rating comment }
}`);

export const ConversationEventsSubscription = operation<
  { conversationEvents: ConversationFeed },
  { conversationId: string }
>(`subscription ConversationEvents($conversationId: ID!) {
  conversationEvents(conversationId: $conversationId) {
    kind
    conversation { ${conversationFields} }
    workflow { ${turnFields} }
    event { ${eventFields} }
  }
}`);

export const WorkflowEventsSubscription = operation<{ workflowEvents: WorkflowFeed }, { runId: string }>(
  `subscription WorkflowEvents($runId: ID!) {
  workflowEvents(runId: $runId) { kind workflow { ${turnFields} } event { ${eventFields} } }
}`,
);

export const AgentStatusSubscription = operation<{ agentStatus: AgentStatus }>(
  'subscription AgentStatusFeed { agentStatus { agent state active calls failures lastModel lastRunId updatedAt } }',
);
