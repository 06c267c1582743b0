export { AgentAnswer, ModelAnswer, modelAnswerJsonSchema, normalisePosition } from './domain/agent-answer';
export { AgentProfile, Capability, ModelPreference, type AgentProfileInput } from './domain/agent-profile';
export { Conflict, DiscussionRound, Stance, VoteTally } from './domain/conflict';
export { AgentId, RunId, StepId, asAgentId, asRunId, asStepId } from './domain/ids';
export { ChatMode, Message, SendMessage } from './domain/message';
export { Plan, PlannedStep, StepStatus, criticalPathLength, planProblems, type PlanInput } from './domain/plan';
export type { BudgetKind, RunEvent, RunEventBody, RunEventType } from './domain/run-event';
export {
  AgentStatus,
  ConversationRecord,
  ConversationStatus,
  Feedback,
  Prediction,
  Rating,
  StepRecord,
  WorkflowRecord,
  WorkflowRecordStatus,
  WorkflowTemplate,
} from './domain/records';
export { Usage, UsageTotals, addUsage, emptyTotals, localShare } from './domain/usage';

export { parseModelAnswer } from './agents/parse-model-answer';
export { builtinAgents } from './agents/builtin-agents';
export {
  AgentConfig,
  AgentConfigError,
  type AgentRegistry,
  CustomAgentProfile,
  createAgentRegistry,
  mergeAgents,
  parseAgentConfig,
} from './agents/agent-registry';

export {
  capabilityFor,
  selectAgents,
  type RankedAgent,
  type ScoreParts,
  type Selection,
  type SelectionContext,
  type TaskClause,
} from './selector/agent-selector';

export { createOfflineModel, offlineAnswer, offlineModelRef } from './models/offline-model';
export { decisionOptions } from './models/decision-options';
export { createOfflinePlanner, offlinePlan, offlineRevision } from './planning/offline-planner';
export { createModelPlanner } from './planning/model-planner';

export { type CallJournal, type CallKey, type JournalEntry, callKeyString } from './ports/call-journal';
export type { EventPort } from './ports/event-port';
export {
  ALL_RUNS,
  type EventBus,
  type Unsubscribe,
  channelsOf,
  conversationOf,
  isEphemeral,
  turnRunId,
} from './ports/event-bus';
export {
  CursorError,
  type Fence,
  FencedError,
  type ListOptions,
  type Page,
  type PersistedActor,
  type RootKind,
  type RunStore,
  byNewest,
  decodeCursor,
  encodeCursor,
  isAfter,
} from './ports/run-store';
export { type AgentHistory, type HistoryPort, neutralHistory } from './ports/history-port';
export {
  type ModelPort,
  type ModelProvider,
  type ModelRef,
  type ModelReply,
  type ModelRequest,
  TransientModelError,
} from './ports/model-port';
export type { Mode, PlanRequest, PlannerPort, RevisionRequest } from './ports/planner-port';
export { type PredictorPort, neutralPredictor } from './ports/predictor-port';

export { createMemoryCallJournal } from './adapters/memory-call-journal';
export { createMemoryEventPort } from './adapters/memory-event-port';
export { createMemoryEventBus } from './adapters/memory-event-bus';
export { createMemoryRunStore } from './adapters/memory-run-store';

export {
  agentMachine,
  defaultRetry,
  type AgentInput,
  type AgentOutput,
  type RetryPolicy,
} from './machines/agent.machine';
export { createCallModel } from './machines/agent.actors';
export { conversationMachine, type ConversationEvent, type ConversationInput } from './machines/conversation.machine';
export { discussionMachine, type DiscussionInput, type DiscussionOutput } from './machines/discussion.machine';
export {
  workflowMachine,
  type WorkflowContext,
  type WorkflowEvent,
  type WorkflowInput,
  type WorkflowOutput,
  type WorkflowStatus,
} from './machines/workflow.machine';
export { Budgets, WorkflowOptions, type WorkflowOptionsInput } from './machines/workflow-options';
export type { StepState, StepStates } from './machines/step-graph';
export { wireMachines, type MachinePorts, type WiredMachines } from './wire-machines';
