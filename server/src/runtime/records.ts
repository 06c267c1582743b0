import {
  type ConversationRecord,
  type Message,
  type RunEvent,
  type StepRecord,
  type WorkflowContext,
  type WorkflowRecord,
  conversationOf,
  localShare,
  turnRunId,
} from '@revo/actors';

/** When each step started and ended, from the run's events (the machine's context has no clock). */
export type StepTimes = Map<string, { startedAt?: number; endedAt?: number }>;

export function recordStepTime(times: StepTimes, event: RunEvent): void {
  if (!('stepId' in event)) return;
  switch (event.type) {
    case 'step.started':
      times.set(event.stepId, { startedAt: event.at });
      return;
    case 'step.completed':
    case 'step.failed':
    case 'step.skipped': {
      const known = times.get(event.stepId) ?? {};
      times.set(event.stepId, { ...known, endedAt: event.at });
      return;
    }
    default:
      return;
  }
}

const stateName = (value: unknown): string =>
  typeof value === 'string' ? value : (Object.keys(value as object)[0] ?? 'unknown');

/** The API's view of a workflow actor: its context, its state, and the host's bookkeeping. */
export function workflowRecord(
  context: WorkflowContext,
  value: unknown,
  meta: { createdAt: number; now: number; seq: number; times: StepTimes; templateId?: string; retryOf?: string },
): WorkflowRecord {
  const steps: StepRecord[] = (context.plan?.steps ?? []).map((step) => {
    const state = context.steps[step.id];
    const time = meta.times.get(step.id);
    return {
      ...step,
      status: state?.status ?? 'pending',
      ...(state?.answer ? { answer: state.answer } : {}),
      ...(state?.error ? { error: state.error } : {}),
      ...(time?.startedAt !== undefined ? { startedAt: time.startedAt } : {}),
      ...(time?.endedAt !== undefined ? { endedAt: time.endedAt } : {}),
    };
  });
  const finished = context.status === 'completed' || context.status === 'failed' || context.status === 'cancelled';
  const conversationId = conversationOf(context.runId);
  return {
    runId: context.runId,
    ...(conversationId ? { conversationId } : {}),
    task: context.task,
    mode: context.mode,
    status: context.status,
    state: stateName(value),
    ...(context.plan ? { plan: context.plan } : {}),
    ...(context.prediction ? { prediction: context.prediction } : {}),
    steps,
    conflicts: context.conflicts,
    usage: context.usage,
    localShare: localShare(context.usage),
    answer: context.answer,
    error: context.error,
    offline: context.usage.offlineCalls > 0,
    ...(context.requestedAgents ? { requestedAgents: context.requestedAgents } : {}),
    ...(meta.templateId ? { templateId: meta.templateId } : {}),
    ...(meta.retryOf ? { retryOf: meta.retryOf } : {}),
    createdAt: meta.createdAt,
    updatedAt: meta.now,
    ...(finished ? { endedAt: meta.now } : {}),
    seq: meta.seq,
  };
}

interface ConversationContextView {
  conversationId: string;
  messages: Message[];
  queue: unknown[];
  turn: number;
  awaiting: ConversationRecord['awaiting'];
}

/** The API's view of a conversation actor. */
export function conversationRecord(
  context: ConversationContextView,
  value: unknown,
  meta: { title: string; createdAt: number; now: number },
): ConversationRecord {
  const responding = stateName(value) === 'responding';
  return {
    id: context.conversationId,
    title: meta.title,
    status: context.awaiting ? 'awaitingHuman' : responding ? 'responding' : 'idle',
    messages: context.messages,
    ...(responding ? { activeRunId: turnRunId(context.conversationId, context.turn) } : {}),
    ...(context.awaiting ? { awaiting: context.awaiting } : {}),
    queued: context.queue.length,
    createdAt: meta.createdAt,
    updatedAt: meta.now,
  };
}

/** A title for a conversation from its first message. */
export const titleFrom = (text: string): string => {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}...` : line || 'New conversation';
};
