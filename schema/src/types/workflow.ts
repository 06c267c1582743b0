import type { Plan, PlannedStep, Prediction, RunEvent, StepRecord, WorkflowRecord } from '@revo/actors';
import { builder } from '../builder';
import { ConflictRef, DiscussionRef } from './conflict';
import { ChatModeEnum, StepStatusEnum, WorkflowStatusEnum } from './enums';
import { AgentAnswerRef, UsageTotalsRef } from './usage';
import { costBreakdown, type CostLine } from '../cost-breakdown';

export const PlanStepRef = builder.objectRef<PlannedStep>('PlanStep').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    agent: t.exposeString('agent'),
    instruction: t.exposeString('instruction'),
    dependsOn: t.stringList({ resolve: (s) => s.dependsOn }),
    question: t.exposeString('question', { nullable: true }),
    insertedFor: t.exposeString('insertedFor', { nullable: true }),
  }),
});

export const PlanRef = builder.objectRef<Plan>('Plan').implement({
  description: 'A DAG of steps; dependsOn are the edges.',
  fields: (t) => ({
    steps: t.field({ type: [PlanStepRef], resolve: (p) => p.steps }),
    rationale: t.exposeString('rationale'),
    planner: t.exposeString('planner', { description: 'Who planned it: offline, or the model that did.' }),
  }),
});

export const PredictionRef = builder.objectRef<Prediction>('Prediction').implement({
  description: 'What reVo expects of a workflow before it runs.',
  fields: (t) => ({
    successProbability: t.exposeFloat('successProbability'),
    durationMs: t.exposeFloat('durationMs'),
    costUsd: t.exposeFloat('costUsd'),
    risks: t.exposeStringList('risks'),
    confidence: t.exposeFloat('confidence'),
    basis: t.exposeString('basis'),
  }),
});

export const StepRef = builder.objectRef<StepRecord>('Step').implement({
  description: 'One node of a workflow and how it went.',
  fields: (t) => ({
    id: t.exposeID('id'),
    agent: t.exposeString('agent'),
    instruction: t.exposeString('instruction'),
    dependsOn: t.stringList({ resolve: (s) => s.dependsOn }),
    question: t.exposeString('question', { nullable: true }),
    insertedFor: t.exposeString('insertedFor', { nullable: true }),
    status: t.field({ type: StepStatusEnum, resolve: (s) => s.status }),
    answer: t.field({ type: AgentAnswerRef, nullable: true, resolve: (s) => s.answer ?? null }),
    error: t.exposeString('error', { nullable: true }),
    startedAt: t.field({ type: 'Timestamp', nullable: true, resolve: (s) => s.startedAt ?? null }),
    endedAt: t.field({ type: 'Timestamp', nullable: true, resolve: (s) => s.endedAt ?? null }),
    elapsedMs: t.float({
      nullable: true,
      resolve: (s) => (s.startedAt === undefined ? null : (s.endedAt ?? Date.now()) - s.startedAt),
    }),
  }),
});

export const CostLineRef = builder.objectRef<CostLine>('CostLine').implement({
  description: 'Cost per agent and model; discussion rounds are their own line.',
  fields: (t) => ({
    agent: t.exposeString('agent'),
    model: t.exposeString('model'),
    local: t.exposeBoolean('local'),
    calls: t.exposeInt('calls'),
    tokensIn: t.exposeInt('tokensIn'),
    tokensOut: t.exposeInt('tokensOut'),
    costUsd: t.exposeFloat('costUsd'),
  }),
});

export const RunEventRef = builder.objectRef<RunEvent>('RunEvent').implement({
  description: 'One domain event of a run. agent.token events are live only: never stored or replayed.',
  fields: (t) => ({
    runId: t.exposeString('runId'),
    seq: t.exposeInt('seq', { description: 'Per-run order; token deltas carry the last stored seq.' }),
    at: t.field({ type: 'Timestamp', resolve: (e) => e.at }),
    type: t.exposeString('type'),
    stepId: t.string({ nullable: true, resolve: (e) => ('stepId' in e ? (e.stepId ?? null) : null) }),
    agent: t.string({ nullable: true, resolve: (e) => ('agent' in e ? (e.agent ?? null) : null) }),
    delta: t.string({ nullable: true, resolve: (e) => (e.type === 'agent.token' ? e.delta : null) }),
    state: t.string({ nullable: true, resolve: (e) => (e.type === 'workflow.state.changed' ? e.state : null) }),
    conflictId: t.string({ nullable: true, resolve: (e) => ('conflictId' in e ? e.conflictId : null) }),
    data: t.field({ type: 'JSON', description: 'The whole event.', resolve: (e) => e }),
  }),
});

export const WorkflowRef = builder.objectRef<WorkflowRecord>('Workflow').implement({
  description: 'A run: planned, running, waiting for a person, or ended. Conversation turns are workflows too.',
  fields: (t) => ({
    runId: t.exposeID('runId'),
    conversationId: t.exposeString('conversationId', { nullable: true }),
    task: t.exposeString('task'),
    mode: t.field({ type: ChatModeEnum, resolve: (w) => w.mode }),
    status: t.field({ type: WorkflowStatusEnum, resolve: (w) => w.status }),
    state: t.exposeString('state', { description: "The workflow machine's state now." }),
    plan: t.field({ type: PlanRef, nullable: true, resolve: (w) => w.plan ?? null }),
    prediction: t.field({ type: PredictionRef, nullable: true, resolve: (w) => w.prediction ?? null }),
    steps: t.field({ type: [StepRef], resolve: (w) => w.steps }),
    conflicts: t.field({ type: [ConflictRef], resolve: (w) => w.conflicts }),
    discussions: t.field({
      type: [DiscussionRef],
      resolve: (w) => w.conflicts.filter((c) => c.rounds.length > 0 || c.status !== 'open'),
    }),
    usage: t.field({ type: UsageTotalsRef, resolve: (w) => w.usage }),
    costBreakdown: t.field({ type: [CostLineRef], resolve: (w) => costBreakdown(w) }),
    localShare: t.exposeFloat('localShare'),
    answer: t.exposeString('answer'),
    error: t.exposeString('error'),
    offline: t.exposeBoolean('offline', { description: 'True when the offline model gave any answer of this run.' }),
    requestedAgents: t.exposeStringList('requestedAgents', { nullable: true }),
    templateId: t.exposeString('templateId', { nullable: true }),
    retryOf: t.exposeString('retryOf', { nullable: true }),
    createdAt: t.field({ type: 'Timestamp', resolve: (w) => w.createdAt }),
    updatedAt: t.field({ type: 'Timestamp', resolve: (w) => w.updatedAt }),
    endedAt: t.field({ type: 'Timestamp', nullable: true, resolve: (w) => w.endedAt ?? null }),
    seq: t.exposeInt('seq', { description: 'The last event this state reflects.' }),
    events: t.field({
      type: [RunEventRef],
      description: 'Stored events after `afterSeq`, oldest first.',
      args: { afterSeq: t.arg.int({ defaultValue: 0 }) },
      resolve: (w, { afterSeq }, { api }) => api.events(w.runId, afterSeq ?? 0),
    }),
  }),
});
