import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import type { AgentProfile } from '../domain/agent-profile';
import { type Plan, planProblems } from '../domain/plan';
import type { BudgetKind, RunEventBody } from '../domain/run-event';
import { type UsageTotals, addUsage, emptyTotals } from '../domain/usage';
import type { ModelRef } from '../ports/model-port';
import type { RevisionRequest } from '../ports/planner-port';
import { type AgentOutput, agentMachine } from './agent.machine';
import { type DeadlineReached, deadline } from './deadline.actor';
import { type StepStates, cancelUnfinished, readySteps, runningCount, settled, skipBlocked } from './step-graph';
import { stepPrompt } from './step-prompt';
import type { WorkflowOptions } from './workflow-options';

export interface ExecutionInput {
  runId: string;
  task: string;
  plan: Plan;
  agents: AgentProfile[];
  chains: Record<string, ModelRef[]>;
  options: WorkflowOptions;
}

export interface ExecutionContext extends ExecutionInput {
  steps: StepStates;
  startedSteps: number;
  usage: UsageTotals;
  /** Failed or flagged steps waiting for the planner, oldest first. */
  revisionQueue: { stepId: string; reason: string }[];
  revisions: number;
  error: string;
  outcome: 'running' | 'settled' | 'failed';
}

/** The graph as it ended: `ok` when it settled, with every step's state and what it cost. */
export interface ExecutionOutput {
  ok: boolean;
  plan: Plan;
  steps: StepStates;
  usage: UsageTotals;
  revisions: number;
  error: string;
}

type ChildDone = { type: `xstate.done.actor.${string}`; output: unknown; actorId: string };
type Ctx = { context: ExecutionContext };
const STEP = 'step:';
const agentOf = (c: ExecutionContext, stepId: string) => c.plan.steps.find((s) => s.id === stepId)?.agent ?? 'unknown';
const profile = (c: ExecutionContext, id: string) => c.agents.find((a) => a.id === id);
const publishState = (state: string) =>
  ({
    type: 'publish',
    params: ({ context }: Ctx): RunEventBody => ({ type: 'workflow.state.changed', runId: context.runId, state }),
  }) as const;
/** Named actions enqueued from actions defined in the same `setup` are not typed yet: these are. */
const pub = (params: RunEventBody) => ({ type: 'publish', params }) as never;
const named = (type: 'queueRevision' | 'skipBlockedSteps', params?: { stepId: string; reason: string }) =>
  (params ? { type, params } : type) as never;

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
function revisionProblems(c: ExecutionContext, revised: Plan): string[] {
  const problems = planProblems(revised, new Set(c.agents.map((a) => a.id)));
  const old = new Map(c.plan.steps.map((s) => [s.id as string, s]));
  for (const [id, state] of Object.entries(c.steps)) {
    if (state.status === 'pending') continue;
    const kept = revised.steps.find((s) => s.id === id);
    if (!kept || kept.agent !== old.get(id)?.agent)
      problems.push(`step "${id}" already started and must stay as it was`);
  }
  return problems;
}

function budgetBreach(c: ExecutionContext): { budget: BudgetKind; limit: number; used: number } | undefined {
  const b = c.options.budgets;
  const tokens = c.usage.tokensIn + c.usage.tokensOut;
  if (tokens > b.maxTokens) return { budget: 'tokens', limit: b.maxTokens, used: tokens };
  if (c.usage.costUsd > b.maxCostUsd) return { budget: 'cost', limit: b.maxCostUsd, used: c.usage.costUsd };
  if (c.startedSteps >= b.maxSteps && readySteps(c.plan, c.steps).length > 0) {
    return { budget: 'steps', limit: b.maxSteps, used: c.startedSteps };
  }
  return undefined;
}

/**
 * Runs a plan's DAG: every ready step at once up to the concurrency limit (one agent actor each),
 * each fed its dependencies' results; a failed or flagged step sends the planner to revise the
 * rest (`adapting`); budgets for steps, tokens, cost and time. Ends `settled` or `failed`.
 */
export const executionMachine = setup({
  types: {
    input: {} as ExecutionInput,
    context: {} as ExecutionContext,
    events: {} as ChildDone | DeadlineReached,
    output: {} as ExecutionOutput,
  },
  actors: {
    agent: agentMachine,
    deadline,
    revise: fromPromise<Plan | undefined, RevisionRequest>(async () => {
      throw new Error('revise is provided by the runtime (wireMachines)');
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
            [stepId]: flagged
              ? { status: 'failed', answer: output.answer, error: reason }
              : { status: 'succeeded', answer: output.answer },
          },
        });
        enqueue(
          pub(
            flagged
              ? { type: 'step.failed', ...ref, error: reason }
              : { type: 'step.completed', ...ref, answer: output.answer },
          ),
        );
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
      if (
        context.options.failurePolicy === 'adapt' &&
        context.revisions < context.options.maxRevisions &&
        step &&
        depth < 2
      ) {
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
          pub({
            type: 'step.skipped',
            runId: context.runId,
            stepId,
            agent: agentOf(context, stepId),
            reason: 'a step it depends on did not succeed',
          }),
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
    cancelRunningSteps: assign({ steps: ({ context }) => cancelUnfinished(context.steps) }),
  },
  guards: {
    needsRevision: ({ context }) => context.revisionQueue.length > 0,
    failFast: ({ context }) =>
      context.options.failurePolicy === 'fail-fast' && Object.values(context.steps).some((s) => s.status === 'failed'),
    overBudget: ({ context }) => budgetBreach(context) !== undefined,
    canStartMore: ({ context }) =>
      runningCount(context.steps) < context.options.concurrency && readySteps(context.plan, context.steps).length > 0,
    settled: ({ context }) => settled(context.plan, context.steps),
    isStepDone: ({ event }) => 'actorId' in event && event.actorId.startsWith(STEP),
  },
}).createMachine({
  id: 'execution',
  context: ({ input }) => ({
    ...input,
    steps: Object.fromEntries(input.plan.steps.map((s) => [s.id, { status: 'pending' as const }])),
    startedSteps: 0,
    usage: emptyTotals(),
    revisionQueue: [],
    revisions: 0,
    error: '',
    outcome: 'running' as const,
  }),
  entry: publishState('executing'),
  // The time budget as an absolute deadline, so that it survives a restore (unlike `after`).
  invoke: { src: 'deadline', input: ({ context }) => ({ at: Date.now() + context.options.budgets.maxDurationMs }) },
  on: {
    'deadline.reached': {
      target: '.failed',
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
    'xstate.done.actor.*': { guard: 'isStepDone', actions: 'recordStep' },
  },
  initial: 'executing',
  states: {
    executing: {
      always: [
        { guard: 'failFast', target: 'failed', actions: assign({ error: 'a step failed (fail-fast)' }) },
        { guard: 'needsRevision', target: 'adapting' },
        { guard: 'overBudget', target: 'failed', actions: 'reportBudget' },
        { guard: 'canStartMore', actions: 'startReadySteps' },
        { guard: 'settled', target: 'settled' },
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
            agents: context.agents,
            trigger: { ...trigger, agent: agentOf(context, trigger.stepId), ...(answer ? { answer } : {}) },
            started: Object.entries(context.steps)
              .filter(([, s]) => s.status !== 'pending')
              .map(([id]) => id),
            revision: context.revisions + 1,
          };
        },
        onDone: {
          target: 'executing',
          actions: { type: 'applyRevision', params: ({ event }) => ({ plan: event.output }) },
        },
        onError: { target: 'executing', actions: { type: 'applyRevision', params: { plan: undefined } } },
      },
    },

    settled: { type: 'final', entry: assign({ outcome: 'settled' }) },
    failed: { type: 'final', entry: ['cancelRunningSteps', assign({ outcome: 'failed' })] },
  },
  output: ({ context }) => ({
    ok: context.outcome === 'settled',
    plan: context.plan,
    steps: context.steps,
    usage: context.usage,
    revisions: context.revisions,
    error: context.error,
  }),
});
