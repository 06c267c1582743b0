/**
 * Applies one run event to a turn: a pure reducer, so that a turn's whole life (steps, streamed
 * tokens, each agent's status, conflicts, discussion rounds, the vote, the decision) can be replayed
 * and tested without a browser.
 */
import type { Resolution, RunEvent } from '@/lib/graphql/schema-types';
import {
  type AgentActivity,
  type AgentPhase,
  type Turn,
  type TurnConflict,
  type TurnStep,
  activityOf,
  answerFromDomain,
  conflictFromDomain,
  discussionStepOf,
  modeFromDomain,
  stepFromPlan,
  totalsFromDomain,
} from './turn-state';

const upper = <T extends string>(value: string): T => value.toUpperCase() as T;

function updateStep(turn: Turn, stepId: string, agent: string, update: (step: TurnStep) => TurnStep): Turn {
  const index = turn.steps.findIndex((s) => s.id === stepId);
  if (index >= 0) return { ...turn, steps: turn.steps.with(index, update(turn.steps[index] as TurnStep)) };
  // A step the plan did not name (a revision inserted it): it appears when it starts.
  const added = update(stepFromPlan({ id: stepId, agent, instruction: '', dependsOn: [] }));
  return { ...turn, steps: [...turn.steps, added] };
}

function updateConflict(turn: Turn, id: string, update: (conflict: TurnConflict) => TurnConflict): Turn {
  return { ...turn, conflicts: turn.conflicts.map((c) => (c.id === id ? update(c) : c)) };
}

function setAgent(turn: Turn, agent: string, phase: AgentPhase, patch: Partial<AgentActivity> = {}): Turn {
  const next: AgentActivity = {
    agent,
    model: null,
    ...turn.agents.find((a) => a.agent === agent),
    phase,
    activity: activityOf(phase),
    ...patch,
  };
  const known = turn.agents.some((a) => a.agent === agent);
  return {
    ...turn,
    agents: known ? turn.agents.map((a) => (a.agent === agent ? next : a)) : [...turn.agents, next],
  };
}

/** Where an agent's activity belongs: its plan step, or a discussion round. */
function activityLabel(turn: Turn, stepId: string, phase: AgentPhase): string {
  const discussion = discussionStepOf(turn, stepId);
  return discussion ? `round ${discussion.round}: ${activityOf(phase)}` : activityOf(phase);
}

export function applyRunEvent(turn: Turn, event: RunEvent): Turn {
  const data = event.data;
  if (data.type === 'agent.token') {
    if (event.seq < turn.seq) return turn;
  } else {
    if (event.seq <= turn.seq) return turn;
    turn = { ...turn, seq: event.seq };
  }
  switch (data.type) {
    case 'workflow.created':
      return { ...turn, mode: modeFromDomain(data.mode), task: data.task, status: 'RUNNING' };
    case 'workflow.planned': {
      const steps = data.plan.steps.map(stepFromPlan);
      const agents = [...new Set(steps.map((s) => s.agent))];
      return agents.reduce((next, agent) => setAgent(next, agent, 'queued'), { ...turn, steps });
    }
    case 'workflow.predicted':
    case 'workflow.revised':
    case 'feedback.given':
      return turn;
    case 'workflow.state.changed':
      return { ...turn, state: data.state };
    case 'workflow.budget.exceeded':
      return { ...turn, error: `The ${data.budget} budget was exceeded (${data.used} of ${data.limit}).` };
    case 'workflow.awaiting.human':
      return { ...turn, status: 'AWAITING_HUMAN', state: 'awaitingHuman' };
    case 'workflow.completed':
      return { ...turn, status: 'COMPLETED', answer: data.answer, usage: totalsFromDomain(data.usage) };
    case 'workflow.failed':
      return { ...turn, status: 'FAILED', error: data.error, usage: totalsFromDomain(data.usage) };
    case 'workflow.cancelled':
      return { ...turn, status: 'CANCELLED', error: data.reason, usage: totalsFromDomain(data.usage) };
    case 'step.started':
      return updateStep(turn, data.stepId, data.agent, (s) => ({
        ...s,
        status: 'RUNNING',
        streamed: '',
        startedAt: s.startedAt ?? new Date(data.at).toISOString(),
      }));
    case 'step.completed': {
      const answer = answerFromDomain(data.answer);
      const next = updateStep(turn, data.stepId, data.agent, (s) => ({
        ...s,
        status: 'SUCCEEDED',
        answer,
        model: answer.model,
        endedAt: new Date(data.at).toISOString(),
        elapsedMs: s.startedAt ? data.at - Date.parse(s.startedAt) : null,
      }));
      return { ...next, offline: next.offline || answer.offline };
    }
    case 'step.failed':
      return setAgent(
        updateStep(turn, data.stepId, data.agent, (s) => ({ ...s, status: 'FAILED', error: data.error })),
        data.agent,
        'failed',
      );
    case 'step.skipped':
      return updateStep(turn, data.stepId, data.agent, (s) => ({ ...s, status: 'SKIPPED', error: data.reason }));
    case 'agent.attempt.started': {
      const onStep = discussionStepOf(turn, data.stepId)
        ? turn
        : updateStep(turn, data.stepId, data.agent, (s) => ({ ...s, model: data.model, streamed: '' }));
      return setAgent(onStep, data.agent, 'working', {
        model: data.model,
        activity: activityLabel(turn, data.stepId, 'working'),
      });
    }
    case 'agent.token': {
      const onStep = discussionStepOf(turn, data.stepId)
        ? turn
        : updateStep(turn, data.stepId, data.agent, (s) => ({ ...s, streamed: s.streamed + data.delta }));
      return setAgent(onStep, data.agent, 'streaming', { activity: activityLabel(turn, data.stepId, 'streaming') });
    }
    case 'agent.attempt.failed':
      return setAgent(turn, data.agent, data.retry ? 'retrying' : 'working', {
        activity: data.retry ? `attempt ${data.attempt} failed, retrying` : `${data.model} failed`,
      });
    case 'agent.model.fallback':
      return setAgent(turn, data.agent, 'working', { model: data.to, activity: `falling back to ${data.to}` });
    case 'agent.completed':
      return setAgent(turn, data.agent, 'done', {
        model: data.usage.model,
        activity: activityLabel(turn, data.stepId, 'done'),
      });
    case 'agent.failed':
      return setAgent(turn, data.agent, 'failed', { activity: data.error });
    case 'conflict.detected':
      return turn.conflicts.some((c) => c.id === data.conflict.id)
        ? turn
        : { ...turn, conflicts: [...turn.conflicts, conflictFromDomain(data.conflict)] };
    case 'discussion.round.started':
      return updateConflict(turn, data.conflictId, (c) => ({ ...c, status: 'DISCUSSING', currentRound: data.round }));
    case 'discussion.round.completed':
      return updateConflict(turn, data.conflictId, (c) => ({
        ...c,
        currentRound: null,
        discussion: { rounds: [...c.discussion.rounds.filter((r) => r.round !== data.round.round), data.round] },
      }));
    case 'discussion.voted':
      return updateConflict(turn, data.conflictId, (c) => ({ ...c, tally: data.tally }));
    case 'discussion.resolved':
      return updateConflict(turn, data.conflictId, (c) => ({
        ...c,
        status: 'RESOLVED',
        currentRound: null,
        winner: data.winner,
        resolution: upper<Resolution>(data.resolution),
      }));
    case 'discussion.escalated':
      return updateConflict(turn, data.conflictId, (c) => ({
        ...c,
        status: 'ESCALATED',
        currentRound: null,
        tally: data.tally,
        options: c.options.length > 0 ? c.options : data.tally.map((t) => t.position),
      }));
    case 'conflict.decided':
      return {
        ...updateConflict(turn, data.conflictId, (c) => ({
          ...c,
          status: 'RESOLVED',
          winner: data.position,
          resolution: 'HUMAN',
          decidedBy: data.by,
        })),
        status: 'RUNNING',
      };
    case 'message.added':
      return turn;
  }
}
