import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import type { Conflict } from '../domain/conflict';
import { type Plan, planProblems } from '../domain/plan';
import type { Prediction, RunEventBody } from '../domain/run-event';
import { addUsage, emptyTotals, localShare } from '../domain/usage';
import type { PlanRequest } from '../ports/planner-port';
import { type ExecutionContext, executionMachine } from './execution.machine';
import { detectConflicts } from './conflict-detection';
import { discussionInput, withDecision, withDiscussion } from './discussion-input';
import { type DiscussionOutput, discussionMachine } from './discussion.machine';
import { mergeAnswer } from './merge-answer';
import { cancelUnfinished, unrepairedSteps } from './step-graph';
import { WorkflowOptions } from './workflow-options';
import type { WorkflowContext, WorkflowEvent, WorkflowInput, WorkflowOutput, WorkflowStatus } from './workflow.types';

export type { WorkflowContext, WorkflowEvent, WorkflowInput, WorkflowOutput, WorkflowStatus };

type Ctx = { context: WorkflowContext };
/** What the workflow keeps of its execution child, live and at the end. */
const mirror = (e: Pick<ExecutionContext, 'plan' | 'steps' | 'usage' | 'revisions'>) => ({
  plan: e.plan,
  steps: e.steps,
  usage: e.usage,
  revisions: e.revisions,
});
const openConflict = (c: WorkflowContext) => c.conflicts.find((x) => x.status === 'open' || x.status === 'discussing');
const escalatedConflict = (c: WorkflowContext) => c.conflicts.find((x) => x.status === 'escalated');

const publishState = (state: string) =>
  ({
    type: 'publish',
    params: ({ context }: Ctx): RunEventBody => ({ type: 'workflow.state.changed', runId: context.runId, state }),
  }) as const;
/**
 * A workflow: `planning -> predicting -> assigning -> executing -> reconciling -> (discussing) ->
 * completed | failed | cancelled`, with `awaitingHuman` when a vote cannot decide. Executing runs
 * every ready step at once up to the concurrency limit (one agent actor each), feeds each step its
 * dependencies' results, and adapts: a failed or flagged step sends the planner to revise the rest.
 */
export const workflowMachine = setup({
  types: {
    input: {} as WorkflowInput,
    context: {} as WorkflowContext,
    events: {} as WorkflowEvent,
    output: {} as WorkflowOutput,
  },
  actors: {
    execution: executionMachine,
    discussion: discussionMachine,
    plan: fromPromise<Plan, PlanRequest>(async () => {
      throw new Error('plan is provided by the runtime (wireMachines)');
    }),
    predict: fromPromise<Prediction, { runId: string; task: string; plan: Plan }>(async () => {
      throw new Error('predict is provided by the runtime (wireMachines)');
    }),
  },
  actions: {
    publish: (_, _event: RunEventBody) => {},
    markDiscussing: assign({
      conflicts: ({ context }) => {
        const open = openConflict(context);
        return context.conflicts.map((c) => (c === open ? { ...c, status: 'discussing' as const } : c));
      },
    }),
    recordDiscussion: assign({
      conflicts: ({ context }, params: { output: DiscussionOutput }) =>
        context.conflicts.map((c) => (c.status === 'discussing' ? withDiscussion(c, params.output) : c)),
      usage: ({ context }, params: { output: DiscussionOutput }) =>
        params.output.usage.reduce((totals, usage) => addUsage(totals, usage), context.usage),
    }),
    cancelRunningSteps: assign({ steps: ({ context }) => cancelUnfinished(context.steps) }),
  },
  guards: {
    hasPlan: ({ context }) => context.plan !== undefined,
    hasOpenConflict: ({ context }) => openConflict(context) !== undefined,
    hasEscalated: ({ context }) => escalatedConflict(context) !== undefined,
    hasUnrepaired: ({ context }) =>
      context.plan !== undefined && unrepairedSteps(context.plan, context.steps).length > 0,
    decidesEscalated: ({ context, event }) =>
      event.type === 'conflict.decide' &&
      event.position.trim().length > 0 &&
      escalatedConflict(context)?.id === event.conflictId,
  },
}).createMachine({
  id: 'workflow',
  context: ({ input }) => ({
    status: 'running',
    runId: input.runId,
    task: input.task,
    mode: input.mode ?? 'workflow',
    agents: input.agents,
    chains: input.chains,
    requestedAgents: input.requestedAgents,
    accuracy: input.accuracy ?? {},
    options: WorkflowOptions.parse(input.options ?? {}),
    plan: input.plan,
    prediction: undefined,
    steps: {},
    usage: emptyTotals(),
    conflicts: [],
    revisions: 0,
    answer: '',
    error: '',
  }),
  on: {
    'workflow.cancel': { target: '.cancelled', actions: assign({ error: ({ event }) => event.reason ?? 'cancelled' }) },
  },
  initial: 'planning',
  states: {
    planning: {
      entry: [
        {
          type: 'publish',
          params: ({ context }) => ({
            type: 'workflow.created',
            runId: context.runId,
            task: context.task,
            mode: context.mode,
          }),
        },
        publishState('planning'),
      ],
      always: { guard: 'hasPlan', target: 'predicting' },
      invoke: {
        src: 'plan',
        input: ({ context }) => ({
          runId: context.runId,
          task: context.task,
          mode: context.mode,
          agents: context.agents,
          ...(context.requestedAgents ? { requestedAgents: context.requestedAgents } : {}),
        }),
        onDone: { target: 'predicting', actions: assign({ plan: ({ event }) => event.output }) },
        onError: {
          target: 'failed',
          actions: assign({
            error: ({ event }) => `planning failed: ${(event.error as Error)?.message ?? String(event.error)}`,
          }),
        },
      },
    },
    predicting: {
      entry: publishState('predicting'),
      always: {
        guard: ({ context }) => planProblems(context.plan as Plan, new Set(context.agents.map((a) => a.id))).length > 0,
        target: 'failed',
        actions: assign({
          error: ({ context }) =>
            `the plan is invalid: ${planProblems(context.plan as Plan, new Set(context.agents.map((a) => a.id))).join('; ')}`,
        }),
      },
      invoke: {
        src: 'predict',
        input: ({ context }) => ({ runId: context.runId, task: context.task, plan: context.plan as Plan }),
        onDone: { target: 'assigning', actions: assign({ prediction: ({ event }) => event.output }) },
        onError: { target: 'assigning' },
      },
      exit: enqueueActions(({ context, enqueue }) => {
        if (context.prediction) {
          enqueue({
            type: 'publish',
            params: { type: 'workflow.predicted', runId: context.runId, prediction: context.prediction },
          });
        }
      }),
    },
    assigning: {
      entry: [
        publishState('assigning'),
        assign({
          steps: ({ context }) =>
            Object.fromEntries((context.plan as Plan).steps.map((s) => [s.id, { status: 'pending' as const }])),
        }),
        {
          type: 'publish',
          params: ({ context }) => ({ type: 'workflow.planned', runId: context.runId, plan: context.plan as Plan }),
        },
      ],
      always: 'running',
    },
    running: {
      invoke: {
        id: 'execution',
        src: 'execution',
        input: ({ context }) => ({
          runId: context.runId,
          task: context.task,
          plan: context.plan as Plan,
          agents: context.agents,
          chains: context.chains,
          options: context.options,
        }),
        onSnapshot: { actions: assign(({ event }) => mirror(event.snapshot.context)) },
        onDone: [
          {
            guard: ({ event }) => event.output.ok,
            target: 'reconciling',
            actions: assign(({ event }) => mirror(event.output)),
          },
          {
            target: 'failed',
            actions: assign(({ event }) => ({ ...mirror(event.output), error: event.output.error })),
          },
        ],
        onError: {
          target: 'failed',
          actions: assign({
            error: ({ event }) => `execution failed: ${(event.error as Error)?.message ?? String(event.error)}`,
          }),
        },
      },
    },
    reconciling: {
      entry: [
        publishState('reconciling'),
        enqueueActions(({ context, enqueue }) => {
          const found = detectConflicts(context.plan as Plan, context.steps, context.conflicts);
          if (found.length === 0) return;
          enqueue.assign({ conflicts: [...context.conflicts, ...found] });
          for (const conflict of found)
            enqueue({ type: 'publish', params: { type: 'conflict.detected', runId: context.runId, conflict } });
        }),
      ],
      always: [
        { guard: 'hasEscalated', target: 'awaitingHuman' },
        { guard: 'hasOpenConflict', target: 'discussing' },
        {
          guard: 'hasUnrepaired',
          target: 'failed',
          actions: assign({
            error: ({ context }) =>
              `steps did not succeed: ${unrepairedSteps(context.plan as Plan, context.steps).join(', ')}`,
          }),
        },
        { target: 'completed' },
      ],
    },
    discussing: {
      entry: [publishState('discussing'), 'markDiscussing'],
      invoke: {
        src: 'discussion',
        input: ({ context }) => discussionInput(openConflict(context) as Conflict, context.steps, context),
        onDone: {
          target: 'reconciling',
          actions: { type: 'recordDiscussion', params: ({ event }) => ({ output: event.output }) },
        },
        onError: {
          target: 'failed',
          actions: assign({
            error: ({ event }) => `discussion failed: ${(event.error as Error)?.message ?? String(event.error)}`,
          }),
        },
      },
    },
    awaitingHuman: {
      entry: [
        assign({ status: 'awaitingHuman' }),
        publishState('awaitingHuman'),
        {
          type: 'publish',
          params: ({ context }) => ({
            type: 'workflow.awaiting.human',
            runId: context.runId,
            conflictId: escalatedConflict(context)?.id ?? '',
          }),
        },
      ],
      on: {
        'conflict.decide': {
          guard: 'decidesEscalated',
          target: 'reconciling',
          actions: [
            assign({
              status: 'running',
              conflicts: ({ context, event }) =>
                context.conflicts.map((c) =>
                  c.id === event.conflictId ? withDecision(c, event.position, event.by ?? 'a person') : c,
                ),
            }),
            {
              type: 'publish',
              params: ({ context, event }) => ({
                type: 'conflict.decided',
                runId: context.runId,
                conflictId: event.conflictId,
                position: event.position.trim().toLowerCase(),
                by: event.by ?? 'a person',
              }),
            },
          ],
        },
      },
    },
    completed: {
      type: 'final',
      entry: [
        assign({ status: 'completed' }),
        assign({ answer: ({ context }) => mergeAnswer(context.plan as Plan, context.steps, context.conflicts) }),
        publishState('completed'),
        {
          type: 'publish',
          params: ({ context }) => ({
            type: 'workflow.completed',
            runId: context.runId,
            answer: context.answer,
            usage: context.usage,
          }),
        },
      ],
    },
    failed: {
      type: 'final',
      entry: [
        assign({ status: 'failed' }),
        'cancelRunningSteps',
        publishState('failed'),
        {
          type: 'publish',
          params: ({ context }) => ({
            type: 'workflow.failed',
            runId: context.runId,
            error: context.error,
            usage: context.usage,
          }),
        },
      ],
    },
    cancelled: {
      type: 'final',
      entry: [
        assign({ status: 'cancelled' }),
        'cancelRunningSteps',
        publishState('cancelled'),
        {
          type: 'publish',
          params: ({ context }) => ({
            type: 'workflow.cancelled',
            runId: context.runId,
            reason: context.error,
            usage: context.usage,
          }),
        },
      ],
    },
  },
  output: ({ context }) => {
    return {
      status: context.status === 'completed' || context.status === 'cancelled' ? context.status : 'failed',
      answer: context.answer,
      error: context.error,
      plan: context.plan,
      steps: context.steps,
      conflicts: context.conflicts,
      usage: context.usage,
      localShare: localShare(context.usage),
    };
  },
});
