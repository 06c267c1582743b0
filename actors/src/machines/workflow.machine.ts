import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import type { AgentProfile } from '../domain/agent-profile';
import type { Conflict } from '../domain/conflict';
import { type Plan, planProblems } from '../domain/plan';
import type { BudgetKind, Prediction, RunEventBody } from '../domain/run-event';
import { type UsageTotals, addUsage, emptyTotals, localShare } from '../domain/usage';
import type { ModelRef } from '../ports/model-port';
import type { Mode, PlanRequest, RevisionRequest } from '../ports/planner-port';
import { type AgentOutput, agentMachine } from './agent.machine';
import { detectConflicts } from './conflict-detection';
import { type DiscussionInput, type DiscussionOutput, discussionMachine } from './discussion.machine';
import { mergeAnswer } from './merge-answer';
import { type StepStates, readySteps, runningCount, settled, skipBlocked, unrepairedSteps } from './step-graph';
import { stepPrompt } from './step-prompt';
import { WorkflowOptions, type WorkflowOptionsInput } from './workflow-options';

export interface WorkflowInput {
  runId: string;
  task: string;
  mode?: Mode;
  /** The registry as this run sees it. */
  agents: AgentProfile[];
  /** Model chain per agent id, local first. */
  chains: Record<string, ModelRef[]>;
  requestedAgents?: string[];
  /** A plan to run as it is (a saved template, a retry); skips the planner. */
  plan?: Plan;
  options?: WorkflowOptionsInput;
  /** Historical accuracy per agent for weighting votes, 0..1. */
  accuracy?: Record<string, number>;
}

export type WorkflowEvent =
  | { type: 'workflow.cancel'; reason?: string }
  | { type: 'conflict.decide'; conflictId: string; position: string; by?: string }
  | { type: `xstate.done.actor.${string}`; output: unknown; actorId: string };

export type WorkflowStatus = 'completed' | 'failed' | 'cancelled';

export interface WorkflowOutput {
  status: WorkflowStatus;
  answer: string;
  error: string;
  plan: Plan | undefined;
  steps: StepStates;
  conflicts: Conflict[];
  usage: UsageTotals;
  localShare: number;
}

export interface WorkflowContext {
  status: WorkflowStatus | 'running' | 'awaitingHuman';
  runId: string;
  task: string;
  mode: Mode;
  agents: AgentProfile[];
  chains: Record<string, ModelRef[]>;
  requestedAgents: string[] | undefined;
  accuracy: Record<string, number>;
  options: WorkflowOptions;
  plan: Plan | undefined;
  prediction: Prediction | undefined;
  steps: StepStates;
  startedSteps: number;
  usage: UsageTotals;
  conflicts: Conflict[];
  /** Failed or flagged steps waiting for the planner, oldest first. */
  revisionQueue: { stepId: string; reason: string }[];
  revisions: number;
  answer: string;
  error: string;
}

type Ctx = { context: WorkflowContext };
const STEP = 'step:';
const agentOf = (c: WorkflowContext, stepId: string) => c.plan?.steps.find((s) => s.id === stepId)?.agent ?? 'unknown';
const profile = (c: WorkflowContext, id: string) => c.agents.find((a) => a.id === id);
const openConflict = (c: WorkflowContext) => c.conflicts.find((x) => x.status === 'open' || x.status === 'discussing');
const escalatedConflict = (c: WorkflowContext) => c.conflicts.find((x) => x.status === 'escalated');

/** The mediator's input for the conflict under discussion: its stances and each agent's models. */
function discussionInput(c: WorkflowContext): DiscussionInput {
  const conflict = openConflict(c) as Conflict;
  const stances = conflict.positions.map((p) => {
    const answer = c.steps[p.step]?.answer;
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
      const agent = profile(c, s.agent);
      return [s.agent, { agent: agent ?? { id: s.agent, systemPrompt: '' }, chain: c.chains[s.agent] ?? [] }];
    }),
  );
  return {
    runId: c.runId,
    conflictId: conflict.id,
    question: conflict.question,
    stances,
    participants,
    maxRounds: c.options.discussion.maxRounds,
    minMargin: c.options.discussion.minMargin,
    accuracy: c.accuracy,
    retry: c.options.retry,
    timeoutMs: c.options.timeoutMs,
  };
}

/** How many repairs deep a step is: a debugger step for a recheck of a test is depth 2. */
function repairDepth(plan: Plan, stepId: string): number {
  let depth = 0;
  let step = plan.steps.find((s) => s.id === stepId);
  while (step?.insertedFor && depth < 32) {
    depth++;
    const parent = step.insertedFor;
    step = plan.steps.find((s) => s.id === parent);
  }
  return depth;
}

/** A revision may add steps and rewire pending ones, never change what already started. */
function revisionProblems(c: WorkflowContext, revised: Plan): string[] {
  const problems = planProblems(revised, new Set(c.agents.map((a) => a.id)));
  const old = new Map((c.plan as Plan).steps.map((s) => [s.id as string, s]));
  for (const [id, state] of Object.entries(c.steps)) {
    if (state.status === 'pending') continue;
    const kept = revised.steps.find((s) => s.id === id);
    if (!kept || kept.agent !== old.get(id)?.agent) problems.push(`step "${id}" already started and must stay as it was`);
  }
  return problems;
}

function budgetBreach(c: WorkflowContext): { budget: BudgetKind; limit: number; used: number } | undefined {
  const b = c.options.budgets;
  const tokens = c.usage.tokensIn + c.usage.tokensOut;
  if (tokens > b.maxTokens) return { budget: 'tokens', limit: b.maxTokens, used: tokens };
  if (c.usage.costUsd > b.maxCostUsd) return { budget: 'cost', limit: b.maxCostUsd, used: c.usage.costUsd };
  if (c.plan && c.startedSteps >= b.maxSteps && readySteps(c.plan, c.steps).length > 0) {
    return { budget: 'steps', limit: b.maxSteps, used: c.startedSteps };
  }
  return undefined;
}

const publishState = (state: string) =>
  ({
    type: 'publish',
    params: ({ context }: Ctx): RunEventBody => ({ type: 'workflow.state.changed', runId: context.runId, state }),
  }) as const;
/** Named actions enqueued from actions defined in the same `setup` are not typed yet: these are. */
const pub = (params: RunEventBody) => ({ type: 'publish', params }) as never;
const named = (type: 'queueRevision' | 'skipBlockedSteps', params?: { stepId: string; reason: string }) =>
  (params ? { type, params } : type) as never;

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
    agent: agentMachine,
    discussion: discussionMachine,
    plan: fromPromise<Plan, PlanRequest>(async () => {
      throw new Error('plan is provided by the runtime (wireMachines)');
    }),
    revise: fromPromise<Plan | undefined, RevisionRequest>(async () => {
      throw new Error('revise is provided by the runtime (wireMachines)');
    }),
    predict: fromPromise<Prediction, { runId: string; task: string; plan: Plan }>(async () => {
      throw new Error('predict is provided by the runtime (wireMachines)');
    }),
  },
  actions: {
    publish: (_, _event: RunEventBody) => {},
    startReadySteps: enqueueActions(({ context, enqueue }) => {
      const plan = context.plan as Plan;
      const room = context.options.concurrency - runningCount(context.steps);
      const budgetRoom = context.options.budgets.maxSteps - context.startedSteps;
      const batch = readySteps(plan, context.steps).slice(0, Math.max(0, Math.min(room, budgetRoom)));
      if (batch.length === 0) return;
      const steps = { ...context.steps };
      for (const step of batch) steps[step.id] = { status: 'running' };
      for (const step of batch) {
        const agent = profile(context, step.agent);
        enqueue.spawnChild('agent', {
          id: STEP + step.id,
          input: {
            runId: context.runId,
            stepId: step.id,
            agent: agent ?? { id: step.agent, systemPrompt: '' },
            prompt: stepPrompt(context.task, step, context.steps, (id) => agentOf(context, id)),
            chain: context.chains[step.agent] ?? [],
            retry: context.options.retry,
            timeoutMs: context.options.timeoutMs,
          },
        });
        enqueue(pub({ type: 'step.started', runId: context.runId, stepId: step.id, agent: step.agent, attempt: 1 }));
      }
      enqueue.assign({ steps, startedSteps: context.startedSteps + batch.length });
    }),
    recordStep: enqueueActions(({ context, event, enqueue }) => {
      if (!('actorId' in event)) return;
      const stepId = event.actorId.slice(STEP.length);
      if (context.steps[stepId]?.status !== 'running') return;
      const output = event.output as AgentOutput;
      const agent = agentOf(context, stepId);
      const ref = { runId: context.runId, stepId, agent };
      if (output.ok) {
        const usage = addUsage(context.usage, output.answer.usage);
        const flagged = output.answer.flag !== 'none';
        const reason = `${agent} flagged its result: ${output.answer.flag} (${output.answer.position})`;
        enqueue.assign({
          usage,
          steps: {
            ...context.steps,
            [stepId]: flagged ? { status: 'failed', answer: output.answer, error: reason } : { status: 'succeeded', answer: output.answer },
          },
        });
        enqueue(pub(flagged ? { type: 'step.failed', ...ref, error: reason } : { type: 'step.completed', ...ref, answer: output.answer }));
        if (flagged) enqueue(named('queueRevision', { stepId, reason }));
      } else {
        enqueue.assign({ steps: { ...context.steps, [stepId]: { status: 'failed', error: output.error } } });
        enqueue(pub({ type: 'step.failed', ...ref, error: output.error }));
        enqueue(named('queueRevision', { stepId, reason: output.error }));
      }
    }),
    queueRevision: enqueueActions(({ context, enqueue }, params: { stepId: string; reason: string }) => {
      const step = context.plan?.steps.find((s) => s.id === params.stepId);
      const depth = repairDepth(context.plan as Plan, params.stepId);
      if (context.options.failurePolicy === 'adapt' && context.revisions < context.options.maxRevisions && step && depth < 2) {
        enqueue.assign({ revisionQueue: [...context.revisionQueue, params] });
      } else {
        enqueue(named('skipBlockedSteps'));
      }
    }),
    skipBlockedSteps: enqueueActions(({ context, enqueue }) => {
      const { steps, skipped } = skipBlocked(context.plan as Plan, context.steps);
      if (skipped.length === 0) return;
      enqueue.assign({ steps });
      for (const stepId of skipped) {
        enqueue(
          pub({ type: 'step.skipped', runId: context.runId, stepId, agent: agentOf(context, stepId), reason: 'a step it depends on did not succeed' }),
        );
      }
    }),
    applyRevision: enqueueActions(({ context, enqueue }, params: { plan: Plan | undefined }) => {
      const [trigger, ...rest] = context.revisionQueue;
      enqueue.assign({ revisionQueue: rest });
      const revised = params.plan;
      const problems = revised ? revisionProblems(context, revised) : ['the planner had no revision'];
      if (!revised || problems.length > 0) {
        enqueue(named('skipBlockedSteps'));
        return;
      }
      const before = new Set((context.plan as Plan).steps.map((s) => s.id as string));
      const after = new Set(revised.steps.map((s) => s.id as string));
      const added = [...after].filter((id) => !before.has(id));
      const removed = [...before].filter((id) => !after.has(id));
      const steps = { ...context.steps };
      for (const id of added) steps[id] = { status: 'pending' };
      for (const id of removed) delete steps[id];
      enqueue.assign({ plan: revised, steps, revisions: context.revisions + 1 });
      enqueue(pub({ type: 'workflow.revised', runId: context.runId, reason: trigger?.reason ?? '', added, removed }));
    }),
    reportBudget: enqueueActions(({ context, enqueue }) => {
      const breach = budgetBreach(context);
      if (!breach) return;
      enqueue.assign({ error: `${breach.budget} budget exceeded: used ${breach.used} of ${breach.limit}` });
      enqueue(pub({ type: 'workflow.budget.exceeded', runId: context.runId, ...breach }));
    }),
    markDiscussing: assign({
      conflicts: ({ context }) => {
        const open = openConflict(context);
        return context.conflicts.map((c) => (c === open ? { ...c, status: 'discussing' as const } : c));
      },
    }),
    recordDiscussion: assign({
      conflicts: ({ context }, params: { output: DiscussionOutput }) =>
        context.conflicts.map((c) =>
          c.status !== 'discussing'
            ? c
            : params.output.status === 'resolved'
              ? { ...c, status: 'resolved' as const, rounds: params.output.rounds, tally: params.output.tally, resolution: params.output.resolution, winner: params.output.winner }
              : { ...c, status: 'escalated' as const, rounds: params.output.rounds, tally: params.output.tally },
        ),
      usage: ({ context }, params: { output: DiscussionOutput }) =>
        params.output.usage.reduce((totals, usage) => addUsage(totals, usage), context.usage),
    }),
    cancelRunningSteps: assign({
      steps: ({ context }) =>
        Object.fromEntries(
          Object.entries(context.steps).map(([id, s]) => [id, s.status === 'running' || s.status === 'pending' ? { ...s, status: 'cancelled' as const } : s]),
        ),
    }),
  },
  delays: {
    timeBudget: ({ context }) => context.options.budgets.maxDurationMs,
  },
  guards: {
    hasPlan: ({ context }) => context.plan !== undefined,
    needsRevision: ({ context }) => context.revisionQueue.length > 0,
    failFast: ({ context }) =>
      context.options.failurePolicy === 'fail-fast' &&
      Object.values(context.steps).some((s) => s.status === 'failed'),
    overBudget: ({ context }) => budgetBreach(context) !== undefined,
    canStartMore: ({ context }) =>
      context.plan !== undefined &&
      runningCount(context.steps) < context.options.concurrency &&
      readySteps(context.plan, context.steps).length > 0,
    settled: ({ context }) => context.plan !== undefined && settled(context.plan, context.steps),
    hasOpenConflict: ({ context }) => openConflict(context) !== undefined,
    hasEscalated: ({ context }) => escalatedConflict(context) !== undefined,
    hasUnrepaired: ({ context }) => context.plan !== undefined && unrepairedSteps(context.plan, context.steps).length > 0,
    isStepDone: ({ event }) => 'actorId' in event && event.actorId.startsWith(STEP),
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
    startedSteps: 0,
    usage: emptyTotals(),
    conflicts: [],
    revisionQueue: [],
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
          params: ({ context }) => ({ type: 'workflow.created', runId: context.runId, task: context.task, mode: context.mode }),
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
          actions: assign({ error: ({ event }) => `planning failed: ${(event.error as Error)?.message ?? String(event.error)}` }),
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
          enqueue({ type: 'publish', params: { type: 'workflow.predicted', runId: context.runId, prediction: context.prediction } });
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
        { type: 'publish', params: ({ context }) => ({ type: 'workflow.planned', runId: context.runId, plan: context.plan as Plan }) },
      ],
      always: 'running',
    },
    running: {
      entry: publishState('executing'),
      after: {
        timeBudget: {
          target: 'failed',
          actions: [
            assign({ error: ({ context }) => `time budget of ${context.options.budgets.maxDurationMs} ms exceeded` }),
            {
              type: 'publish',
              params: ({ context }) => ({
                type: 'workflow.budget.exceeded',
                runId: context.runId,
                budget: 'time',
                limit: context.options.budgets.maxDurationMs,
                used: context.options.budgets.maxDurationMs,
              }),
            },
          ],
        },
      },
      on: {
        'xstate.done.actor.*': { guard: 'isStepDone', actions: 'recordStep' },
      },
      initial: 'executing',
      states: {
        executing: {
          always: [
            { guard: 'failFast', target: '#workflow.failed', actions: assign({ error: 'a step failed (fail-fast)' }) },
            { guard: 'needsRevision', target: 'adapting' },
            { guard: 'overBudget', target: '#workflow.failed', actions: 'reportBudget' },
            { guard: 'canStartMore', actions: 'startReadySteps' },
            { guard: 'settled', target: '#workflow.reconciling' },
          ],
        },
        adapting: {
          entry: publishState('adapting'),
          invoke: {
            src: 'revise',
            input: ({ context }) => {
              const trigger = context.revisionQueue[0] as { stepId: string; reason: string };
              const answer = context.steps[trigger.stepId]?.answer;
              return {
                runId: context.runId,
                task: context.task,
                plan: context.plan as Plan,
                trigger: { ...trigger, agent: agentOf(context, trigger.stepId), ...(answer ? { answer } : {}) },
                started: Object.entries(context.steps)
                  .filter(([, s]) => s.status !== 'pending')
                  .map(([id]) => id),
                revision: context.revisions + 1,
              };
            },
            onDone: { target: 'executing', actions: { type: 'applyRevision', params: ({ event }) => ({ plan: event.output }) } },
            onError: { target: 'executing', actions: { type: 'applyRevision', params: { plan: undefined } } },
          },
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
          for (const conflict of found) enqueue({ type: 'publish', params: { type: 'conflict.detected', runId: context.runId, conflict } });
        }),
      ],
      always: [
        { guard: 'hasEscalated', target: 'awaitingHuman' },
        { guard: 'hasOpenConflict', target: 'discussing' },
        {
          guard: 'hasUnrepaired',
          target: 'failed',
          actions: assign({
            error: ({ context }) => `steps did not succeed: ${unrepairedSteps(context.plan as Plan, context.steps).join(', ')}`,
          }),
        },
        { target: 'completed' },
      ],
    },
    discussing: {
      entry: [publishState('discussing'), 'markDiscussing'],
      invoke: {
        src: 'discussion',
        input: ({ context }) => discussionInput(context),
        onDone: { target: 'reconciling', actions: { type: 'recordDiscussion', params: ({ event }) => ({ output: event.output }) } },
        onError: {
          target: 'failed',
          actions: assign({ error: ({ event }) => `discussion failed: ${(event.error as Error)?.message ?? String(event.error)}` }),
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
            assign({ status: 'running' }),
            assign({
              conflicts: ({ context, event }) =>
                context.conflicts.map((c) =>
                  c.id === event.conflictId
                    ? { ...c, status: 'resolved' as const, resolution: 'human' as const, winner: event.position.trim().toLowerCase(), decidedBy: event.by ?? 'a person' }
                    : c,
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
          params: ({ context }) => ({ type: 'workflow.completed', runId: context.runId, answer: context.answer, usage: context.usage }),
        },
      ],
    },
    failed: {
      type: 'final',
      entry: [
        assign({ status: 'failed' }),
        'cancelRunningSteps',
        publishState('failed'),
        { type: 'publish', params: ({ context }) => ({ type: 'workflow.failed', runId: context.runId, error: context.error, usage: context.usage }) },
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
          params: ({ context }) => ({ type: 'workflow.cancelled', runId: context.runId, reason: context.error, usage: context.usage }),
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
