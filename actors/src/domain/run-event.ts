import type { AgentAnswer } from './agent-answer';
import type { Conflict, DiscussionRound, VoteTally } from './conflict';
import type { Message } from './message';
import type { Plan } from './plan';
import type { Prediction } from './records';
import type { Usage, UsageTotals } from './usage';

/** Common fields; `at` and `seq` are stamped by the publisher, never by a (pure) machine. */
interface Base {
  runId: string;
}
interface StepRef extends Base {
  stepId: string;
  agent: string;
}

/**
 * Every domain event of a run, as one discriminated union with dot-namespaced types. Published on
 * the event port for subscribers and for analytics.
 */
export type RunEventBody =
  | (Base & { type: 'workflow.created'; task: string; mode: 'single' | 'multi' | 'workflow' })
  | (Base & { type: 'workflow.planned'; plan: Plan })
  | (Base & { type: 'workflow.predicted'; prediction: Prediction })
  | (Base & { type: 'workflow.state.changed'; state: string })
  | (Base & { type: 'workflow.revised'; reason: string; added: string[]; removed: string[] })
  | (Base & { type: 'workflow.budget.exceeded'; budget: BudgetKind; limit: number; used: number })
  | (Base & { type: 'workflow.awaiting.human'; conflictId: string })
  | (Base & { type: 'workflow.completed'; answer: string; usage: UsageTotals })
  | (Base & { type: 'workflow.failed'; error: string; usage: UsageTotals })
  | (Base & { type: 'workflow.cancelled'; reason: string; usage: UsageTotals })
  | (StepRef & { type: 'step.started'; attempt: number })
  | (StepRef & { type: 'step.completed'; answer: AgentAnswer })
  | (StepRef & { type: 'step.failed'; error: string })
  | (StepRef & { type: 'step.skipped'; reason: string })
  | (StepRef & { type: 'agent.attempt.started'; model: string; attempt: number })
  | (StepRef & { type: 'agent.token'; delta: string })
  | (StepRef & { type: 'agent.attempt.failed'; model: string; attempt: number; error: string; retry: boolean })
  | (StepRef & { type: 'agent.model.fallback'; from: string; to: string; reason: string })
  | (StepRef & { type: 'agent.completed'; usage: Usage })
  | (StepRef & { type: 'agent.failed'; error: string })
  | (Base & { type: 'conflict.detected'; conflict: Conflict })
  | (Base & { type: 'discussion.round.started'; conflictId: string; round: number })
  | (Base & { type: 'discussion.round.completed'; conflictId: string; round: DiscussionRound })
  | (Base & { type: 'discussion.voted'; conflictId: string; tally: VoteTally[] })
  | (Base & {
      type: 'discussion.resolved';
      conflictId: string;
      winner: string;
      resolution: 'consensus' | 'vote' | 'human';
    })
  | (Base & { type: 'discussion.escalated'; conflictId: string; tally: VoteTally[] })
  | (Base & { type: 'conflict.decided'; conflictId: string; position: string; by: string })
  | (Base & { type: 'message.added'; conversationId: string; message: Message })
  | (Base & {
      type: 'feedback.given';
      feedbackId: string;
      stepId?: string;
      agent?: string;
      rating: 'up' | 'down';
      comment: string;
    });

export type RunEventType = RunEventBody['type'];
export type BudgetKind = 'steps' | 'tokens' | 'cost' | 'time';

/** A published event: the body plus the publisher's clock and per-run sequence number. */
export type RunEvent = RunEventBody & { at: number; seq: number };

export type { Prediction } from './records';
