import { type RunEvent, conversationOf, isEphemeral } from '@revo/actors';

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
  switch (event.type) {
    case 'workflow.created':
      return [{ ...row, mode: event.mode, task_category: context.categorise?.(event.task) ?? '' }];
    case 'step.completed': {
      const { usage } = event.answer;
      return [
        {
          ...row,
          model: usage.model,
          provider: usage.provider,
          local: usage.local ? 1 : 0,
          tokens_in: usage.tokensIn,
          tokens_out: usage.tokensOut,
          cost_usd: usage.costUsd,
          latency_ms: usage.latencyMs,
          outcome: 'succeeded',
          confidence: event.answer.confidence,
          position: event.answer.position,
        },
      ];
    }
    case 'step.failed':
      return [{ ...row, outcome: 'failed' }];
    case 'step.skipped':
      return [{ ...row, outcome: 'skipped' }];
    case 'agent.completed':
      return [
        {
          ...row,
          model: event.usage.model,
          provider: event.usage.provider,
          local: event.usage.local ? 1 : 0,
          tokens_in: event.usage.tokensIn,
          tokens_out: event.usage.tokensOut,
          cost_usd: event.usage.costUsd,
          latency_ms: event.usage.latencyMs,
          outcome: 'succeeded',
        },
      ];
    case 'agent.failed':
      return [{ ...row, outcome: 'failed' }];
    case 'agent.attempt.started':
      return [{ ...row, model: event.model, round: event.attempt }];
    case 'agent.attempt.failed':
      return [{ ...row, model: event.model, round: event.attempt, outcome: event.retry ? 'retry' : 'failed' }];
    case 'workflow.completed':
    case 'workflow.failed':
    case 'workflow.cancelled':
      return [
        {
          ...row,
          outcome: event.type.slice('workflow.'.length),
          tokens_in: event.usage.tokensIn,
          tokens_out: event.usage.tokensOut,
          cost_usd: event.usage.costUsd,
          latency_ms: event.usage.latencyMs,
        },
      ];
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
      return [{ ...row, round: event.round }];
    case 'discussion.resolved':
      return [{ ...row, position: event.winner, outcome: event.resolution }];
    case 'discussion.escalated':
      return [{ ...row, outcome: 'escalated' }];
    case 'conflict.decided':
      return [{ ...row, position: event.position, outcome: 'human' }];
    case 'conflict.detected':
      return [{ ...row, conflict_id: event.conflict.id }];
    case 'feedback.given':
      return [{ ...row, rating: event.rating, comment: event.comment }];
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
