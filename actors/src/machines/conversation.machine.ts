import { assign, sendTo, setup } from 'xstate';
import type { AgentProfile } from '../domain/agent-profile';
import type { Conflict } from '../domain/conflict';
import type { ChatMode, Message, SendMessage } from '../domain/message';
import { turnRunId } from '../ports/event-bus';
import type { ModelRef } from '../ports/model-port';
import type { WorkflowOptionsInput } from './workflow-options';
import { type WorkflowOutput, workflowMachine } from './workflow.machine';

export interface ConversationInput {
  conversationId: string;
  agents: AgentProfile[];
  chains: Record<string, ModelRef[]>;
  options?: WorkflowOptionsInput;
  accuracy?: Record<string, number>;
}

export type ConversationEvent =
  | ({ type: 'message.send' } & SendMessage)
  | { type: 'conflict.decide'; conflictId: string; position: string; by?: string }
  | { type: 'turn.cancel'; reason?: string };

interface ConversationContext extends ConversationInput {
  messages: Message[];
  /** Messages sent while a turn was under way, answered in order. */
  queue: SendMessage[];
  turn: number;
  /** The turn's conflict that waits for a person's decision, if any. */
  awaiting: Conflict | undefined;
}

const TURN = 'turn';
const runIdOf = (c: ConversationContext) => turnRunId(c.conversationId, c.turn);

/**
 * One chat. Every message becomes a turn run by a workflow actor: `single` (one agent, chosen or
 * selected), `multi` (several agents answer the same question; conflicts go to the mediator), or
 * `workflow` (the message is planned into a DAG). Decisions and cancellation reach the turn.
 */
export const conversationMachine = setup({
  types: {
    input: {} as ConversationInput,
    context: {} as ConversationContext,
    events: {} as ConversationEvent,
  },
  actors: { workflow: workflowMachine },
  actions: {
    takeQueued: assign(({ context }) => {
      const [next, ...rest] = context.queue;
      if (!next) return {};
      const turn = context.turn + 1;
      const message: Message = {
        id: `${context.conversationId}.m${context.messages.length + 1}`,
        role: 'user',
        content: next.text,
        mode: next.mode,
        agents: next.agents ?? [],
        offline: false,
      };
      return { queue: rest, turn, messages: [...context.messages, message] };
    }),
  },
  guards: {
    hasQueued: ({ context }) => context.queue.length > 0,
  },
}).createMachine({
  id: 'conversation',
  context: ({ input }) => ({ ...input, messages: [], queue: [], turn: 0, awaiting: undefined }),
  initial: 'idle',
  states: {
    idle: {
      always: { guard: 'hasQueued', target: 'responding' },
      on: {
        'message.send': { target: 'responding', actions: assign({ queue: ({ event }) => [toSend(event)] }) },
      },
    },
    responding: {
      entry: 'takeQueued',
      invoke: {
        id: TURN,
        src: 'workflow',
        input: ({ context }) => {
          const user = context.messages.at(-1) as Message;
          return {
            runId: runIdOf(context),
            task: user.content,
            mode: user.mode,
            agents: context.agents,
            chains: context.chains,
            ...(user.agents.length > 0 ? { requestedAgents: user.agents } : {}),
            ...(context.options ? { options: context.options } : {}),
            ...(context.accuracy ? { accuracy: context.accuracy } : {}),
          };
        },
        onSnapshot: {
          actions: assign({
            awaiting: ({ event }) => event.snapshot.context.conflicts.find((c) => c.status === 'escalated'),
          }),
        },
        onDone: {
          target: 'idle',
          actions: assign({
            messages: ({ context, event }) => [...context.messages, reply(context, event.output)],
            awaiting: undefined,
          }),
        },
      },
      on: {
        'message.send': { actions: assign({ queue: ({ context, event }) => [...context.queue, toSend(event)] }) },
        'conflict.decide': { actions: sendTo(TURN, ({ event }) => event) },
        'turn.cancel': {
          actions: sendTo(TURN, ({ event }) => ({ type: 'workflow.cancel', reason: event.reason ?? 'cancelled' })),
        },
      },
    },
  },
});

const toSend = (event: SendMessage & { type: string }): SendMessage => ({
  text: event.text,
  mode: event.mode as ChatMode,
  ...(event.agents ? { agents: event.agents } : {}),
});

function reply(context: ConversationContext, output: WorkflowOutput): Message {
  const agents = [...new Set(output.plan?.steps.map((s) => s.agent as string) ?? [])];
  const user = context.messages.at(-1) as Message;
  return {
    id: `${context.conversationId}.m${context.messages.length + 1}`,
    role: 'assistant',
    content: output.status === 'completed' ? output.answer : `The run ${output.status}: ${output.error}`,
    mode: user.mode,
    runId: runIdOf(context),
    status: output.status,
    agents,
    usage: output.usage,
    offline: output.usage.offlineCalls > 0,
  };
}
