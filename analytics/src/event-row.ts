import { type RunEvent, type Usage, conversationOf, isEphemeral } from '@revo/actors';

/** One row of `run_events` (see migrations/0001_run_events.sql for the conventions). */
export interface EventRow {
  event_id: string;
  run_id: string;
  conversation_id: string;
  seq: number;
  type: string;
  /** Milliseconds since 1970 (written to DateTime64(3)). */
  at: number;
  step_id: string;
  agent: string;
  model: string;
  provider: string;
  local: 0 | 1;
  tokens_in: number;
  tokens_out: number;
  cost_usd: number;
  latency_ms: number;
  outcome: string;
  confidence: number;
  position: string;
  conflict_id: string;
  round: number;
  rating: string;
  comment: string;
  mode: string;
  task_category: string;
  capability: string;
  payload: string;
}

const blank = (event: RunEvent): EventRow => ({
  event_id: `${event.runId}/${event.seq}`,
  run_id: event.runId,
  conversation_id: conversationOf(event.runId) ?? '',
  seq: event.seq,
  type: event.type,
  at: event.at,
  step_id: 'stepId' in event && typeof event.stepId === 'string' ? event.stepId : '',
  agent: 'agent' in event && typeof event.agent === 'string' ? event.agent : '',
  model: '',
  provider: '',
  local: 0,
  tokens_in: 0,
  tokens_out: 0,
  cost_usd: 0,
  latency_ms: 0,
  outcome: '',
  confidence: 0,
  position: '',
  conflict_id: 'conflictId' in event && typeof event.conflictId === 'string' ? event.conflictId : '',
  round: 0,
  rating: '',
  comment: '',
  mode: '',
  task_category: '',
  capability: '',
  payload: JSON.stringify(event),
});

export interface RowContext {
  /** A category for a task (the selector's primary agent, by default). */
  categorise?: (task: string) => string;
  /** Sees every event first (to learn plans, for `capabilityOf`). */
  observe?: (event: RunEvent) => void;
  /** The capability a step's work called on, for step rows. */
  capabilityOf?: (runId: string, stepId: string, agent: string) => string;
}

/** A model call's usage: which model answered, where, and what it took. */
function withUsage(row: EventRow, usage: Usage) {
  row.model = usage.model;
  row.provider = usage.provider;
  row.local = usage.local ? 1 : 0;
  row.tokens_in = usage.tokensIn;
  row.tokens_out = usage.tokensOut;
  row.cost_usd = usage.costUsd;
  row.latency_ms = usage.latencyMs;
}

/**
 * Flattens a run event into `run_events` rows: the columns the named queries group and filter by,
 * plus the whole event as JSON. A discussion round becomes one row per stance. Token deltas make
 * no row.
 */
export function eventRows(event: RunEvent, context: RowContext = {}): EventRow[] {
  if (isEphemeral(event)) return [];
  context.observe?.(event);
  const row = blank(event);
  if (row.step_id && row.agent && context.capabilityOf) {
    row.capability = context.capabilityOf(event.runId, row.step_id, row.agent);
  }
  // The row is filled in place: one object per event, since the sink makes hundreds of thousands a second.
  switch (event.type) {
    case 'workflow.created':
      row.mode = event.mode;
      row.task_category = context.categorise?.(event.task) ?? '';
      return [row];
    case 'step.completed':
      withUsage(row, event.answer.usage);
      row.outcome = 'succeeded';
      row.confidence = event.answer.confidence;
      row.position = event.answer.position;
      return [row];
    case 'step.failed':
      row.outcome = 'failed';
      return [row];
    case 'step.skipped':
      row.outcome = 'skipped';
      return [row];
    case 'agent.completed':
      withUsage(row, event.usage);
      row.outcome = 'succeeded';
      return [row];
    case 'agent.failed':
      row.outcome = 'failed';
      return [row];
    case 'agent.attempt.started':
      row.model = event.model;
      row.round = event.attempt;
      return [row];
    case 'agent.attempt.failed':
      row.model = event.model;
      row.round = event.attempt;
      row.outcome = event.retry ? 'retry' : 'failed';
      return [row];
    case 'workflow.completed':
    case 'workflow.failed':
    case 'workflow.cancelled':
      row.outcome = event.type.slice('workflow.'.length);
      row.tokens_in = event.usage.tokensIn;
      row.tokens_out = event.usage.tokensOut;
      row.cost_usd = event.usage.costUsd;
      row.latency_ms = event.usage.latencyMs;
      return [row];
    case 'discussion.round.completed':
      return event.round.stances.map((stance, n) => ({
        ...row,
        event_id: `${row.event_id}/${n}`,
        agent: stance.agent,
        position: stance.position,
        confidence: stance.confidence,
        round: event.round.round,
      }));
    case 'discussion.round.started':
      row.round = event.round;
      return [row];
    case 'discussion.resolved':
      row.position = event.winner;
      row.outcome = event.resolution;
      return [row];
    case 'discussion.escalated':
      row.outcome = 'escalated';
      return [row];
    case 'conflict.decided':
      row.position = event.position;
      row.outcome = 'human';
      return [row];
    case 'conflict.detected':
      row.conflict_id = event.conflict.id;
      return [row];
    case 'feedback.given':
      row.rating = event.rating;
      row.comment = event.comment;
      return [row];
    case 'workflow.planned':
    case 'workflow.predicted':
    case 'workflow.state.changed':
    case 'workflow.revised':
    case 'workflow.budget.exceeded':
    case 'workflow.awaiting.human':
    case 'step.started':
    case 'agent.model.fallback':
    case 'discussion.voted':
    case 'message.added':
    case 'agent.token':
      return [row];
  }
}
