import type { Feedback, WorkflowTemplate } from '@revo/actors';
import type { WorkflowFeedItem } from '../api';
import { builder } from '../builder';
import { connection } from './connection';
import { FeedKindEnum, RatingEnum, WorkflowStatusEnum } from './enums';
import { PlanRef, PredictionRef, RunEventRef, WorkflowRef } from './workflow';

const WorkflowConnection = connection('Workflow', WorkflowRef);

const NodePositionRef = builder
  .objectRef<{ stepId: string; x: number; y: number }>('NodePosition')
  .implement({ fields: (t) => ({ stepId: t.exposeString('stepId'), x: t.exposeFloat('x'), y: t.exposeFloat('y') }) });

export const WorkflowTemplateRef = builder.objectRef<WorkflowTemplate>('WorkflowTemplate').implement({
  description: "A saved graph from the builder: its plan and each node's place on the canvas.",
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    plan: t.field({ type: PlanRef, resolve: (w) => w.plan }),
    layout: t.field({
      type: [NodePositionRef],
      resolve: (w) => Object.entries(w.layout).map(([stepId, p]) => ({ stepId, x: p.x, y: p.y })),
    }),
    createdAt: t.field({ type: 'Timestamp', resolve: (w) => w.createdAt }),
    updatedAt: t.field({ type: 'Timestamp', resolve: (w) => w.updatedAt }),
  }),
});
const TemplateConnection = connection('WorkflowTemplate', WorkflowTemplateRef);

export const FeedbackRef = builder.objectRef<Feedback>('Feedback').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    runId: t.exposeString('runId'),
    stepId: t.exposeString('stepId', { nullable: true }),
    agent: t.exposeString('agent', { nullable: true }),
    rating: t.field({ type: RatingEnum, resolve: (f) => f.rating }),
    comment: t.exposeString('comment'),
    at: t.field({ type: 'Timestamp', resolve: (f) => f.at }),
  }),
});

builder.objectField(WorkflowRef, 'feedback', (t) =>
  t.field({ type: [FeedbackRef], resolve: (w, _, { api }) => api.feedback(w.runId) }),
);

const WorkflowFeedItemRef = builder.objectRef<WorkflowFeedItem>('WorkflowFeedItem').implement({
  description: 'First a SNAPSHOT (the workflow as it is), then one EVENT per change; ends when the run ends.',
  fields: (t) => ({
    kind: t.field({ type: FeedKindEnum, resolve: (i) => i.kind }),
    workflow: t.field({ type: WorkflowRef, nullable: true, resolve: (i) => i.workflow ?? null }),
    event: t.field({ type: RunEventRef, nullable: true, resolve: (i) => i.event ?? null }),
  }),
});

const PlanStepInput = builder.inputType('PlanStepInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    agent: t.string({ required: true }),
    instruction: t.string({ required: true }),
    dependsOn: t.idList({ defaultValue: [] }),
    question: t.string({
      description: 'Steps sharing a question answer it independently; disagreement is a conflict.',
    }),
  }),
});

const PlanInput = builder.inputType('PlanInput', {
  fields: (t) => ({
    steps: t.field({ type: [PlanStepInput], required: true }),
    rationale: t.string(),
  }),
});

const NodePositionInput = builder.inputType('NodePositionInput', {
  fields: (t) => ({ stepId: t.id({ required: true }), x: t.float({ required: true }), y: t.float({ required: true }) }),
});

const toPlan = (input: {
  steps: {
    id: string | number;
    agent: string;
    instruction: string;
    dependsOn?: (string | number)[] | null;
    question?: string | null;
  }[];
  rationale?: string | null;
}) => ({
  steps: input.steps.map((s) => ({
    id: String(s.id),
    agent: s.agent,
    instruction: s.instruction,
    dependsOn: (s.dependsOn ?? []).map(String),
    ...(s.question ? { question: s.question } : {}),
  })),
  rationale: input.rationale ?? '',
  planner: 'person',
});

builder.queryFields((t) => ({
  workflows: t.field({
    type: WorkflowConnection,
    args: {
      first: t.arg.int({ description: '1 to 100; default 20.' }),
      after: t.arg.string(),
      status: t.arg({ type: WorkflowStatusEnum }),
      conversationId: t.arg.id(),
    },
    resolve: (_, args, { api }) =>
      api.workflows({ ...args, conversationId: args.conversationId ? String(args.conversationId) : null }),
  }),
  workflow: t.field({
    type: WorkflowRef,
    nullable: true,
    args: { runId: t.arg.id({ required: true }) },
    resolve: async (_, { runId }, { api }) => (await api.workflow(String(runId))) ?? null,
  }),
  workflowTemplates: t.field({
    type: TemplateConnection,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (_, args, { api }) => api.templates(args),
  }),
  workflowTemplate: t.field({
    type: WorkflowTemplateRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_, { id }, { api }) => (await api.template(String(id))) ?? null,
  }),
  prediction: t.field({
    type: PredictionRef,
    description: 'What reVo expects of a plan before it runs.',
    args: { task: t.arg.string({ required: true }), plan: t.arg({ type: PlanInput, required: true }) },
    resolve: (_, { task, plan }, { api }) => api.predict(toPlan(plan) as never, task),
  }),
}));

builder.mutationFields((t) => ({
  planWorkflow: t.field({
    type: WorkflowRef,
    description: 'Plans a task into a DAG (with its prediction) without running it; run it with runWorkflow(runId).',
    args: { task: t.arg.string({ required: true }), agents: t.arg.stringList() },
    resolve: (_, args, { api }) => api.planWorkflow(args),
  }),
  runWorkflow: t.field({
    type: WorkflowRef,
    description:
      'Runs a planned workflow (runId), a template (templateId), or a task (planned now, or with your plan).',
    args: {
      runId: t.arg.id(),
      templateId: t.arg.id(),
      task: t.arg.string(),
      plan: t.arg({ type: PlanInput }),
      agents: t.arg.stringList(),
    },
    resolve: (_, args, { api }) =>
      api.runWorkflow({
        runId: args.runId ? String(args.runId) : null,
        templateId: args.templateId ? String(args.templateId) : null,
        task: args.task ?? null,
        plan: args.plan ? (toPlan(args.plan) as never) : null,
        agents: args.agents ?? null,
      }),
  }),
  cancelWorkflow: t.field({
    type: WorkflowRef,
    args: { runId: t.arg.id({ required: true }), reason: t.arg.string() },
    resolve: (_, { runId, reason }, { api }) => api.cancelWorkflow(String(runId), reason),
  }),
  retryWorkflow: t.field({
    type: WorkflowRef,
    description: 'Runs an ended workflow again as a new run (retryOf names the old one).',
    args: { runId: t.arg.id({ required: true }) },
    resolve: (_, { runId }, { api }) => api.retryWorkflow(String(runId)),
  }),
  decideConflict: t.field({
    type: WorkflowRef,
    description: 'Decides an escalated conflict; the run carries on with that position.',
    args: {
      runId: t.arg.id({ required: true }),
      conflictId: t.arg.id({ required: true }),
      position: t.arg.string({ required: true }),
      by: t.arg.string(),
    },
    resolve: (_, args, { api }) =>
      api.decideConflict({ ...args, runId: String(args.runId), conflictId: String(args.conflictId) }),
  }),
  giveFeedback: t.field({
    type: FeedbackRef,
    description: 'Thumbs up or down on a run or one step of it, with an optional comment.',
    args: {
      runId: t.arg.id({ required: true }),
      stepId: t.arg.id(),
      rating: t.arg({ type: RatingEnum, required: true }),
      comment: t.arg.string(),
    },
    resolve: (_, args, { api }) =>
      api.giveFeedback({ ...args, runId: String(args.runId), stepId: args.stepId ? String(args.stepId) : null }),
  }),
  saveWorkflowTemplate: t.field({
    type: WorkflowTemplateRef,
    description: 'Creates a template, or replaces the one with this id.',
    args: {
      id: t.arg.id(),
      name: t.arg.string({ required: true }),
      description: t.arg.string(),
      plan: t.arg({ type: PlanInput, required: true }),
      layout: t.arg({ type: [NodePositionInput] }),
    },
    resolve: (_, args, { api }) =>
      api.saveTemplate({
        id: args.id ? String(args.id) : null,
        name: args.name,
        description: args.description ?? null,
        plan: toPlan(args.plan) as never,
        layout: Object.fromEntries((args.layout ?? []).map((p) => [String(p.stepId), { x: p.x, y: p.y }])),
      }),
  }),
  deleteWorkflowTemplate: t.boolean({
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, { api }) => api.deleteTemplate(String(id)),
  }),
}));

builder.subscriptionFields((t) => ({
  workflowEvents: t.field({
    type: WorkflowFeedItemRef,
    description: 'The workflow as it is, then every event of it, with no gap and no duplicate.',
    args: { runId: t.arg.id({ required: true }) },
    subscribe: (_, { runId }, { api }) => api.workflowFeed(String(runId)),
    resolve: (item) => item,
  }),
}));
