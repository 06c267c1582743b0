import type { AgentProfile } from '../domain/agent-profile';
import type { Conflict } from '../domain/conflict';
import type { ModelRef } from '../ports/model-port';
import type { DiscussionInput, DiscussionOutput } from './discussion.machine';
import type { StepStates } from './step-graph';
import type { WorkflowOptions } from './workflow-options';

interface RunView {
  runId: string;
  agents: AgentProfile[];
  chains: Record<string, ModelRef[]>;
  options: WorkflowOptions;
  accuracy: Record<string, number>;
}

/** The mediator's input for one conflict: each side's answer as a stance, and each agent's models. */
export function discussionInput(conflict: Conflict, steps: StepStates, run: RunView): DiscussionInput {
  const stances = conflict.positions.map((p) => {
    const answer = steps[p.step]?.answer;
    return {
      agent: p.agent,
      position: p.position,
      confidence: answer?.confidence ?? 0.5,
      rationale: answer?.rationale ?? '',
      answer: answer?.answer ?? '',
    };
  });
  const participants = Object.fromEntries(
    stances.map((s) => {
      const agent = run.agents.find((a) => a.id === s.agent) ?? { id: s.agent, systemPrompt: '' };
      return [s.agent, { agent, chain: run.chains[s.agent] ?? [] }];
    }),
  );
  return {
    runId: run.runId,
    conflictId: conflict.id,
    question: conflict.question,
    stances,
    participants,
    maxRounds: run.options.discussion.maxRounds,
    minMargin: run.options.discussion.minMargin,
    accuracy: run.accuracy,
    retry: run.options.retry,
    timeoutMs: run.options.timeoutMs,
  };
}

/** A conflict after its discussion: resolved with a winner, or escalated with the tally. */
export function withDiscussion(conflict: Conflict, output: DiscussionOutput): Conflict {
  const transcript = { rounds: output.rounds, tally: output.tally };
  return output.status === 'resolved'
    ? { ...conflict, ...transcript, status: 'resolved', resolution: output.resolution, winner: output.winner }
    : { ...conflict, ...transcript, status: 'escalated' };
}

/** A conflict a person decided; positions are normalised like the agents' own. */
export function withDecision(conflict: Conflict, position: string, by: string): Conflict {
  return { ...conflict, status: 'resolved', resolution: 'human', winner: position.trim().toLowerCase(), decidedBy: by };
}
