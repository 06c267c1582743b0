import { assign, fromCallback, setup } from 'xstate';
import { type DeadlineReached, deadline } from './deadline.actor';
import type { AgentAnswer } from '../domain/agent-answer';
import type { AgentProfile } from '../domain/agent-profile';
import type { RunEventBody } from '../domain/run-event';
import type { Usage } from '../domain/usage';
import type { CallKey } from '../ports/call-journal';
import type { ModelRef, ModelReply } from '../ports/model-port';
import { parseModelAnswer } from '../agents/parse-model-answer';
import { modelAnswerJsonSchema } from '../domain/agent-answer';

/** Retry policy for one model before the agent falls to the next. */
export interface RetryPolicy {
  /** @default 2 */
  attemptsPerModel: number;
  /** @default 250 */
  baseDelayMs: number;
  /** @default 4000 */
  maxDelayMs: number;
}

export const defaultRetry: RetryPolicy = { attemptsPerModel: 2, baseDelayMs: 250, maxDelayMs: 4_000 };

export interface AgentInput {
  runId: string;
  stepId: string;
  agent: Pick<AgentProfile, 'id' | 'systemPrompt' | 'outputSchema' | 'positions'>;
  prompt: string;
  chain: ModelRef[];
  retry?: RetryPolicy;
  /** Per attempt. @default 120000 */
  timeoutMs?: number;
}

/** What the model-call actor is given: everything one call needs, and its journal key. */
export interface ModelCallInput {
  key: CallKey;
  model: ModelRef;
  agent: string;
  system: string;
  prompt: string;
  jsonSchema: Record<string, unknown>;
  /**
   * When the attempt times out (epoch ms): the actor sends `deadline.reached` then. Absolute, so
   * that a restored attempt keeps its deadline (XState does not persist `after` timers).
   */
  deadlineAt: number;
}

/** Events the model-call actor sends back to its agent. */
export type ModelCallEvent =
  | { type: 'model.token'; delta: string }
  | { type: 'model.reply'; reply: ModelReply; usage: Usage }
  | { type: 'model.error'; message: string; transient: boolean }
  | DeadlineReached;

export type AgentOutput = { ok: true; answer: AgentAnswer } | { ok: false; error: string };

interface AgentContext extends Required<Omit<AgentInput, 'chain'>> {
  chain: ModelRef[];
  modelIndex: number;
  /** Attempts on the current model; `attempt` counts every call and keys the journal. */
  attemptOnModel: number;
  attempt: number;
  lastError: string;
  answer: AgentAnswer | undefined;
}

const model = (c: AgentContext): ModelRef => c.chain[c.modelIndex] as ModelRef;
const fallback = {
  type: 'publish',
  params: ({ context }: { context: AgentContext }): RunEventBody => ({
    type: 'agent.model.fallback',
    ...ref(context),
    from: model(context).id,
    to: (context.chain[context.modelIndex + 1] as ModelRef).id,
    reason: context.lastError,
  }),
} as const;
const backoffMs = (c: AgentContext): number =>
  Math.min(c.retry.maxDelayMs, c.retry.baseDelayMs * 2 ** Math.max(0, c.attemptOnModel - 1));
const ref = (c: AgentContext) => ({ runId: c.runId, stepId: c.stepId, agent: c.agent.id });

/**
 * One agent working on one step: `idle -> working -> succeeded | failed`. Walks the model chain
 * (local first), retries transient errors with exponential backoff, times out each attempt, falls
 * to the next model when a reply fails the answer schema, and streams token deltas as events.
 * Stopping the actor aborts the call in flight.
 */
export const agentMachine = setup({
  types: {
    input: {} as AgentInput,
    context: {} as AgentContext,
    events: {} as ModelCallEvent,
    output: {} as AgentOutput,
  },
  actors: {
    callModel: fromCallback<ModelCallEvent, ModelCallInput>(() => {
      throw new Error('callModel is provided by the runtime (wireMachines)');
    }),
    deadline,
  },
  actions: {
    publish: (_, _event: RunEventBody) => {},
    nextModel: assign(({ context }) => ({ modelIndex: context.modelIndex + 1, attemptOnModel: 0 })),
  },
  guards: {
    hasModels: ({ context }) => context.chain.length > 0,
    canRetry: ({ context, event }) =>
      (event.type !== 'model.error' || event.transient) && context.attemptOnModel < context.retry.attemptsPerModel,
    hasNextModel: ({ context }) => context.modelIndex + 1 < context.chain.length,
    accepted: ({ context }) => context.answer !== undefined,
  },
}).createMachine({
  id: 'agent',
  context: ({ input }) => ({
    runId: input.runId,
    stepId: input.stepId,
    agent: input.agent,
    prompt: input.prompt,
    chain: input.chain,
    retry: input.retry ?? defaultRetry,
    timeoutMs: input.timeoutMs ?? 120_000,
    modelIndex: 0,
    attemptOnModel: 0,
    attempt: 0,
    lastError: '',
    answer: undefined,
  }),
  initial: 'idle',
  states: {
    idle: {
      always: [
        { guard: 'hasModels', target: 'working' },
        { target: 'failed', actions: assign({ lastError: 'no model is available for this agent' }) },
      ],
    },
    working: {
      initial: 'calling',
      states: {
        calling: {
          entry: [
            assign({
              attempt: ({ context }) => context.attempt + 1,
              attemptOnModel: ({ context }) => context.attemptOnModel + 1,
            }),
            {
              type: 'publish',
              params: ({ context }) => ({
                type: 'agent.attempt.started',
                ...ref(context),
                model: model(context).id,
                attempt: context.attempt,
              }),
            },
          ],
          invoke: [
            {
              src: 'callModel',
              input: ({ context }) => ({
                key: { ...ref(context), attempt: context.attempt },
                model: model(context),
                agent: context.agent.id,
                system: context.agent.systemPrompt,
                prompt: context.prompt,
                jsonSchema: { ...modelAnswerJsonSchema, ...(context.agent.outputSchema ?? {}) },
                deadlineAt: Date.now() + context.timeoutMs,
              }),
            },
          ],
          on: {
            'model.token': {
              actions: {
                type: 'publish',
                params: ({ context, event }) => ({ type: 'agent.token', ...ref(context), delta: event.delta }),
              },
            },
            'model.reply': {
              target: 'validating',
              actions: assign(({ event, context }) => {
                const parsed = parseModelAnswer(event.reply.text, context.agent);
                return parsed.ok
                  ? { answer: { ...parsed.value, usage: event.usage }, lastError: '' }
                  : { answer: undefined, lastError: `${model(context).id}: ${parsed.error}` };
              }),
            },
            'model.error': {
              target: 'attemptFailed',
              actions: assign({ lastError: ({ event, context }) => `${model(context).id}: ${event.message}` }),
            },
            'deadline.reached': {
              target: 'attemptFailed',
              actions: assign({
                lastError: ({ context }) => `${model(context).id}: no answer within ${context.timeoutMs} ms`,
              }),
            },
          },
        },
        attemptFailed: {
          entry: {
            type: 'publish',
            params: ({ context }) => ({
              type: 'agent.attempt.failed',
              ...ref(context),
              model: model(context).id,
              attempt: context.attempt,
              error: context.lastError,
              retry: context.attemptOnModel < context.retry.attemptsPerModel,
            }),
          },
          always: [
            { guard: 'canRetry', target: 'backoff' },
            { guard: 'hasNextModel', target: 'calling', actions: [fallback, 'nextModel'] },
            { target: '#agent.failed' },
          ],
        },
        backoff: {
          invoke: { src: 'deadline', input: ({ context }) => ({ at: Date.now() + backoffMs(context) }) },
          on: { 'deadline.reached': 'calling' },
        },
        validating: {
          always: [
            { guard: 'accepted', target: '#agent.succeeded' },
            { guard: 'hasNextModel', target: 'calling', actions: [fallback, 'nextModel'] },
            { target: '#agent.failed' },
          ],
        },
      },
    },
    succeeded: {
      type: 'final',
      entry: {
        type: 'publish',
        params: ({ context }) => ({
          type: 'agent.completed',
          ...ref(context),
          usage: (context.answer as AgentAnswer).usage,
        }),
      },
    },
    failed: {
      type: 'final',
      entry: {
        type: 'publish',
        params: ({ context }) => ({ type: 'agent.failed', ...ref(context), error: context.lastError }),
      },
    },
  },
  output: ({ context }) =>
    context.answer
      ? { ok: true, answer: context.answer }
      : { ok: false, error: context.lastError || 'the agent failed' },
});
