/**
 * The composer: what the person is writing, in which mode, to which agents, and where their turn is.
 * `idle -> sending -> streaming -> (awaitingDecision -> deciding -> streaming) -> idle`, with `error`
 * when a send fails and `stopping` while a run is cancelled. Effects are named actors that the chat
 * page provides (`composerMachine.provide({ actors })`) and tests fake.
 *
 * Turns are followed by run id: the page reports the newest turn's phase (`turn.updated`) whenever
 * it or the composer's state changes, so a turn that ends before its `sendMessage` call returns still
 * brings the composer back to idle.
 */
import { assign, fromPromise, setup } from 'xstate';
import type { ChatMode } from '@/lib/graphql/schema-types';
import type { TurnPhase } from './conversation-feed';

export interface SendInput {
  /** `null` for a new conversation: the actor starts one. */
  conversationId: string | null;
  text: string;
  mode: ChatMode;
  /** Empty: reVo picks the agents. */
  agents: string[];
}

export interface SendOutput {
  conversationId: string;
  /** `null` when the message waits behind a turn that is running elsewhere. */
  runId: string | null;
}

export interface ComposerContext {
  conversationId: string | null;
  text: string;
  mode: ChatMode;
  agents: string[];
  runId: string | null;
  /** The conflict this composer just decided: its escalation must not ask again while events catch up. */
  decided: string | null;
  error: string | null;
  notice: string | null;
}

export type ComposerEvent =
  | { type: 'text.changed'; text: string }
  | { type: 'mode.changed'; mode: ChatMode }
  | { type: 'agents.changed'; agents: string[] }
  | { type: 'submit' }
  | { type: 'retry' }
  | { type: 'dismiss' }
  | { type: 'stop' }
  | { type: 'decide'; conflictId: string; position: string }
  | { type: 'turn.updated'; runId: string; phase: TurnPhase; conflictId?: string | null }
  | { type: 'conversation.switched'; conversationId: string | null };

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : 'Something went wrong.';

/** In single mode only one agent can be chosen. */
const agentsFor = (mode: ChatMode, agents: string[]): string[] => (mode === 'SINGLE' ? agents.slice(0, 1) : agents);

export const composerMachine = setup({
  types: {
    context: {} as ComposerContext,
    events: {} as ComposerEvent,
    input: {} as Partial<Pick<ComposerContext, 'conversationId' | 'mode' | 'agents'>> | undefined,
  },
  actors: {
    sendMessage: fromPromise<SendOutput, SendInput>(async () => {
      throw new Error('sendMessage is not provided');
    }),
    decideConflict: fromPromise<void, { runId: string; conflictId: string; position: string }>(async () => {
      throw new Error('decideConflict is not provided');
    }),
    cancelRun: fromPromise<void, { runId: string }>(async () => {
      throw new Error('cancelRun is not provided');
    }),
  },
  guards: {
    hasText: ({ context }) => context.text.trim().length > 0,
    otherConversation: ({ context, event }) =>
      event.type === 'conversation.switched' && event.conversationId !== context.conversationId,
    adopts: ({ event }, phase: TurnPhase) => event.type === 'turn.updated' && event.phase === phase,
    follows: ({ context, event }, phase: TurnPhase) =>
      event.type === 'turn.updated' && event.runId === context.runId && event.phase === phase,
    asksAgain: ({ context, event }) =>
      event.type === 'turn.updated' &&
      event.runId === context.runId &&
      event.phase === 'awaiting' &&
      (event.conflictId ?? null) !== context.decided,
  },
  actions: {
    adoptRun: assign({ runId: ({ event }) => (event.type === 'turn.updated' ? event.runId : null) }),
    clearRun: assign({ runId: null, decided: null }),
  },
}).createMachine({
  id: 'composer',
  context: ({ input }) => ({
    conversationId: input?.conversationId ?? null,
    text: '',
    mode: input?.mode ?? 'SINGLE',
    agents: input?.agents ?? [],
    runId: null,
    decided: null,
    error: null,
    notice: null,
  }),
  initial: 'idle',
  on: {
    'text.changed': { actions: assign({ text: ({ event }) => event.text, notice: null }) },
    'mode.changed': {
      actions: assign({
        mode: ({ event }) => event.mode,
        agents: ({ context, event }) => agentsFor(event.mode, context.agents),
      }),
    },
    'agents.changed': { actions: assign({ agents: ({ context, event }) => agentsFor(context.mode, event.agents) }) },
    'conversation.switched': {
      guard: 'otherConversation',
      target: '.idle',
      actions: assign({
        conversationId: ({ event }) => event.conversationId,
        runId: null,
        decided: null,
        error: null,
        notice: null,
      }),
    },
  },
  states: {
    idle: {
      on: {
        submit: { guard: 'hasText', target: 'sending' },
        'turn.updated': [
          { guard: { type: 'adopts', params: 'running' }, target: 'streaming', actions: 'adoptRun' },
          { guard: { type: 'adopts', params: 'awaiting' }, target: 'awaitingDecision', actions: 'adoptRun' },
        ],
      },
    },
    sending: {
      // A conversation the send itself starts must not reset the composer mid-send.
      on: { 'conversation.switched': { actions: assign({ conversationId: ({ event }) => event.conversationId }) } },
      invoke: {
        src: 'sendMessage',
        input: ({ context }) => ({
          conversationId: context.conversationId,
          text: context.text.trim(),
          mode: context.mode,
          agents: context.agents,
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.runId === null,
            target: 'idle',
            actions: assign({
              conversationId: ({ event }) => event.output.conversationId,
              text: '',
              error: null,
              notice: 'Your message waits behind the turn that is running; it is answered next.',
            }),
          },
          {
            target: 'streaming',
            actions: assign({
              conversationId: ({ event }) => event.output.conversationId,
              runId: ({ event }) => event.output.runId,
              decided: null,
              text: '',
              error: null,
              notice: null,
            }),
          },
        ],
        onError: { target: 'error', actions: assign({ error: ({ event }) => messageOf(event.error) }) },
      },
    },
    streaming: {
      on: {
        'turn.updated': [
          { guard: 'asksAgain', target: 'awaitingDecision' },
          { guard: { type: 'follows', params: 'ended' }, target: 'idle', actions: 'clearRun' },
        ],
        stop: 'stopping',
        // The escalation can show a moment before the run reports that it waits: take the decision.
        decide: { target: 'deciding', actions: assign({ decided: ({ event }) => event.conflictId }) },
      },
    },
    stopping: {
      invoke: {
        src: 'cancelRun',
        input: ({ context }) => ({ runId: context.runId ?? '' }),
        onDone: 'streaming',
        onError: { target: 'streaming', actions: assign({ error: ({ event }) => messageOf(event.error) }) },
      },
      on: { 'turn.updated': { guard: { type: 'follows', params: 'ended' }, target: 'idle', actions: 'clearRun' } },
    },
    awaitingDecision: {
      on: {
        decide: { target: 'deciding', actions: assign({ decided: ({ event }) => event.conflictId }) },
        stop: 'stopping',
        'turn.updated': [
          { guard: { type: 'follows', params: 'running' }, target: 'streaming' },
          { guard: { type: 'follows', params: 'ended' }, target: 'idle', actions: 'clearRun' },
        ],
      },
    },
    deciding: {
      entry: assign({ error: null }),
      invoke: {
        src: 'decideConflict',
        input: ({ context, event }) => ({
          runId: context.runId ?? '',
          conflictId: event.type === 'decide' ? event.conflictId : '',
          position: event.type === 'decide' ? event.position : '',
        }),
        onDone: 'streaming',
        onError: {
          target: 'awaitingDecision',
          actions: assign({ decided: null, error: ({ event }) => messageOf(event.error) }),
        },
      },
      on: { 'turn.updated': { guard: { type: 'follows', params: 'ended' }, target: 'idle', actions: 'clearRun' } },
    },
    error: {
      on: {
        submit: { guard: 'hasText', target: 'sending' },
        retry: { guard: 'hasText', target: 'sending' },
        dismiss: { target: 'idle', actions: assign({ error: null }) },
      },
    },
  },
});

export type ComposerMachine = typeof composerMachine;
