import { builder } from '../builder';

const upper = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(
    values.map((v) => [
      v
        .replace(/([a-z])([A-Z])/g, '$1_$2')
        .replaceAll('-', '_')
        .toUpperCase(),
      { value: v },
    ]),
  ) as Record<string, { value: T }>;

export const ChatModeEnum = builder.enumType('ChatMode', {
  description: 'single: one agent answers; multi: several answer and conflicts are discussed; workflow: a planned DAG.',
  values: upper(['single', 'multi', 'workflow'] as const),
});
export const WorkflowStatusEnum = builder.enumType('WorkflowStatus', {
  values: upper(['planned', 'running', 'awaitingHuman', 'completed', 'failed', 'cancelled'] as const),
});
export const StepStatusEnum = builder.enumType('StepStatus', {
  values: upper(['pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'] as const),
});
export const ConflictStatusEnum = builder.enumType('ConflictStatus', {
  values: upper(['open', 'discussing', 'escalated', 'resolved'] as const),
});
export const ResolutionEnum = builder.enumType('Resolution', {
  description: 'How a conflict ended: agents agreed, a weighted vote, or a person decided.',
  values: upper(['consensus', 'vote', 'human'] as const),
});
export const RatingEnum = builder.enumType('Rating', { values: upper(['up', 'down'] as const) });
export const AgentStateEnum = builder.enumType('AgentState', { values: upper(['idle', 'working'] as const) });
export const ConversationStatusEnum = builder.enumType('ConversationStatus', {
  values: upper(['idle', 'responding', 'awaitingHuman'] as const),
});
export const RoleEnum = builder.enumType('Role', { values: upper(['user', 'assistant'] as const) });
export const FlagEnum = builder.enumType('AnswerFlag', {
  description: 'An answer that flags itself asks the planner to adapt the rest of the workflow.',
  values: upper(['none', 'failed-check', 'needs-review'] as const),
});
export const FeedKindEnum = builder.enumType('FeedKind', {
  description: 'SNAPSHOT: the state as it is when you subscribed; EVENT: one change after it.',
  values: upper(['snapshot', 'event'] as const),
});
export const ProviderEnum = builder.enumType('Provider', {
  values: upper(['ollama', 'openai', 'anthropic', 'offline', 'fake'] as const),
});
