import { assign, enqueueActions, setup } from 'xstate';
import type { AgentProfile } from '../domain/agent-profile';
import type { DiscussionRound, Stance, VoteTally } from '../domain/conflict';
import type { RunEventBody } from '../domain/run-event';
import type { Usage } from '../domain/usage';
import type { ModelRef } from '../ports/model-port';
import { type AgentOutput, type RetryPolicy, agentMachine } from './agent.machine';
import { discussionPrompt } from './discussion-prompt';
import { weightedVote } from './vote';

export interface Participant {
  agent: Pick<AgentProfile, 'id' | 'systemPrompt' | 'outputSchema' | 'positions'>;
  chain: ModelRef[];
}

export interface DiscussionInput {
  runId: string;
  conflictId: string;
  question: string;
  /** The positions that made the conflict: round 0 of the transcript. */
  stances: Stance[];
  participants: Record<string, Participant>;
  /** @default 2 */
  maxRounds?: number;
  /** Smallest lead (share of all vote weight) that wins a vote. @default 0.15 */
  minMargin?: number;
  /** Historical accuracy per agent, 0..1. @default 0.5 for each */
  accuracy?: Record<string, number>;
  retry?: RetryPolicy;
  timeoutMs?: number;
}

/** The outcome, the whole transcript, and what every revision cost. */
export type DiscussionOutput = { rounds: DiscussionRound[]; tally: VoteTally[]; usage: Usage[] } & (
  | { status: 'resolved'; winner: string; resolution: 'consensus' | 'vote' }
  | { status: 'escalated' }
);

interface DiscussionContext extends Required<Omit<DiscussionInput, 'retry' | 'timeoutMs' | 'stances'>> {
  retry: RetryPolicy | undefined;
  timeoutMs: number | undefined;
  rounds: DiscussionRound[];
  /** Revisions received in the round under way, by agent. */
  pending: Record<string, Stance>;
  tally: VoteTally[];
  usage: Usage[];
  winner: string | undefined;
  resolution: 'consensus' | 'vote' | undefined;
}

type ChildDone = { type: `xstate.done.actor.${string}`; output: AgentOutput; actorId: string };

const current = (c: DiscussionContext): Stance[] => c.rounds.at(-1)?.stances ?? [];
const agreed = (stances: readonly Stance[]) => stances.length > 1 && new Set(stances.map((s) => s.position)).size === 1;
const childId = (c: DiscussionContext, agent: string) => `${c.conflictId}.r${c.rounds.length}.${agent}`;

/**
 * The mediator: `collecting -> comparing -> (agreed | rounds) -> voting -> resolved | escalated`.
 * Each round every participant sees the others' anonymised positions and reasons and revises, all
 * at once (one agent actor each). Stops on consensus or after `maxRounds`; then a vote weighted by
 * confidence and historical accuracy; a tie or thin lead escalates to a person. The transcript
 * (every round's stances) is kept whole in the output.
 */
export const discussionMachine = setup({
  types: {
    input: {} as DiscussionInput,
    context: {} as DiscussionContext,
    events: {} as ChildDone,
    output: {} as DiscussionOutput,
  },
  actors: { agent: agentMachine },
  actions: {
    publish: (_, _event: RunEventBody) => {},
  },
  guards: {
    consensus: ({ context }) => agreed(current(context)),
    roundsLeft: ({ context }) => context.rounds.length - 1 < context.maxRounds,
    roundComplete: ({ context }) => Object.keys(context.pending).length === current(context).length,
    hasWinner: ({ context }) => context.winner !== undefined,
  },
}).createMachine({
  id: 'discussion',
  context: ({ input }) => ({
    runId: input.runId,
    conflictId: input.conflictId,
    question: input.question,
    participants: input.participants,
    maxRounds: input.maxRounds ?? 2,
    minMargin: input.minMargin ?? 0.15,
    accuracy: input.accuracy ?? {},
    retry: input.retry,
    timeoutMs: input.timeoutMs,
    rounds: [{ round: 0, stances: input.stances }],
    pending: {},
    tally: [],
    usage: [],
    winner: undefined,
    resolution: undefined,
  }),
  initial: 'collecting',
  states: {
    collecting: { always: 'comparing' },
    comparing: {
      always: [
        { guard: 'consensus', target: 'agreed' },
        { guard: 'roundsLeft', target: 'rounds' },
        { target: 'voting' },
      ],
    },
    rounds: {
      entry: [
        assign({ pending: {} }),
        {
          type: 'publish',
          params: ({ context }) => ({
            type: 'discussion.round.started',
            runId: context.runId,
            conflictId: context.conflictId,
            round: context.rounds.length,
          }),
        },
        enqueueActions(({ context, enqueue }) => {
          const stances = current(context);
          for (const own of stances) {
            const participant = context.participants[own.agent];
            if (!participant) continue;
            const others = stances.filter((s) => s.agent !== own.agent);
            enqueue.spawnChild('agent', {
              id: childId(context, own.agent),
              input: {
                runId: context.runId,
                stepId: childId(context, own.agent),
                agent: participant.agent,
                prompt: discussionPrompt(context.question, own, others, context.rounds.length),
                chain: participant.chain,
                ...(context.retry ? { retry: context.retry } : {}),
                ...(context.timeoutMs ? { timeoutMs: context.timeoutMs } : {}),
              },
            });
          }
        }),
      ],
      on: {
        'xstate.done.actor.*': {
          actions: assign({
            pending: ({ context, event }) => {
              const agent = event.actorId.slice(event.actorId.lastIndexOf('.') + 1);
              const previous = current(context).find((s) => s.agent === agent);
              if (!previous) return context.pending;
              const revised: Stance = event.output.ok
                ? {
                    agent: previous.agent,
                    position: event.output.answer.position,
                    confidence: event.output.answer.confidence,
                    rationale: event.output.answer.rationale,
                    answer: event.output.answer.answer,
                  }
                : previous;
              return { ...context.pending, [agent]: revised };
            },
            usage: ({ context, event }) =>
              event.output.ok ? [...context.usage, event.output.answer.usage] : context.usage,
          }),
        },
      },
      always: {
        guard: 'roundComplete',
        target: 'comparing',
        actions: [
          assign({
            rounds: ({ context }) => [
              ...context.rounds,
              {
                round: context.rounds.length,
                stances: current(context).map((s) => context.pending[s.agent] ?? s),
              },
            ],
          }),
          {
            type: 'publish',
            params: ({ context }) => ({
              type: 'discussion.round.completed',
              runId: context.runId,
              conflictId: context.conflictId,
              round: context.rounds.at(-1) as DiscussionRound,
            }),
          },
        ],
      },
    },
    agreed: {
      always: {
        target: 'resolved',
        actions: assign({ winner: ({ context }) => current(context)[0]?.position, resolution: 'consensus' }),
      },
    },
    voting: {
      entry: [
        assign(({ context }) => {
          const vote = weightedVote(current(context), context.accuracy, context.minMargin);
          return { tally: vote.tally, winner: vote.winner, resolution: vote.winner ? ('vote' as const) : undefined };
        }),
        {
          type: 'publish',
          params: ({ context }) => ({
            type: 'discussion.voted',
            runId: context.runId,
            conflictId: context.conflictId,
            tally: context.tally,
          }),
        },
      ],
      always: [{ guard: 'hasWinner', target: 'resolved' }, { target: 'escalated' }],
    },
    resolved: {
      type: 'final',
      entry: {
        type: 'publish',
        params: ({ context }) => ({
          type: 'discussion.resolved',
          runId: context.runId,
          conflictId: context.conflictId,
          winner: context.winner as string,
          resolution: context.resolution ?? 'vote',
        }),
      },
    },
    escalated: {
      type: 'final',
      entry: {
        type: 'publish',
        params: ({ context }) => ({
          type: 'discussion.escalated',
          runId: context.runId,
          conflictId: context.conflictId,
          tally: context.tally,
        }),
      },
    },
  },
  output: ({ context }) =>
    context.winner !== undefined
      ? {
          status: 'resolved',
          winner: context.winner,
          resolution: context.resolution ?? 'vote',
          rounds: context.rounds,
          tally: context.tally,
          usage: context.usage,
        }
      : { status: 'escalated', rounds: context.rounds, tally: context.tally, usage: context.usage },
});
