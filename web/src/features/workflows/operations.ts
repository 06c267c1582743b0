/**
 * The GraphQL operations of the workflows page, each typed with its result and variables (the
 * pattern of `lib/graphql/operations.ts`; checked against `schema/schema.graphql` by the test).
 */
import type { Connection, Plan, Prediction, Workflow, WorkflowStatus } from '@/lib/graphql/schema-types';
import { defineOperation } from './define-operation';

const planFields = 'planner rationale steps { id agent instruction dependsOn question insertedFor }';
const predictionFields = 'successProbability durationMs costUsd risks confidence basis';

/** A run as the history lists it. */
export type WorkflowSummary = Pick<
  Workflow,
  'runId' | 'task' | 'mode' | 'status' | 'state' | 'createdAt' | 'updatedAt' | 'templateId'
> & { usage: Pick<Workflow['usage'], 'costUsd' | 'calls'>; steps: Pick<Workflow['steps'][number], 'id'>[] };

/** What the page shows of one run besides its live steps: the plan, the prediction, when it ran. */
export type WorkflowHeader = Pick<
  Workflow,
  'runId' | 'task' | 'mode' | 'status' | 'state' | 'createdAt' | 'endedAt' | 'templateId' | 'retryOf'
> & {
  plan: Plan | null;
  prediction: Prediction | null;
  usage: Pick<Workflow['usage'], 'costUsd' | 'calls' | 'localShare'>;
  costBreakdown: Workflow['costBreakdown'];
};

export type PlannedWorkflow = Pick<Workflow, 'runId' | 'status'>;

const summaryFields =
  'runId task mode status state createdAt updatedAt templateId usage { costUsd calls } steps { id }';
const headerFields = `runId task mode status state createdAt endedAt templateId retryOf
  plan { ${planFields} }
  prediction { ${predictionFields} }
  usage { costUsd calls localShare }
  costBreakdown { agent model calls local costUsd tokensIn tokensOut }`;

export const WorkflowsQuery = defineOperation<
  { workflows: Connection<WorkflowSummary> },
  { first: number; after?: string | null; status?: WorkflowStatus | null }
>(`query WorkflowHistory($first: Int, $after: String, $status: WorkflowStatus) {
  workflows(first: $first, after: $after, status: $status) {
    nodes { ${summaryFields} }
    pageInfo { endCursor hasNextPage }
  }
}`);

export const WorkflowHeaderQuery = defineOperation<{ workflow: WorkflowHeader | null }, { runId: string }>(
  `query WorkflowHeader($runId: ID!) { workflow(runId: $runId) { ${headerFields} } }`,
);

export const PlanWorkflowMutation = defineOperation<{ planWorkflow: PlannedWorkflow }, { task: string }>(
  'mutation PlanWorkflow($task: String!) { planWorkflow(task: $task) { runId status } }',
);

export const RunPlannedWorkflowMutation = defineOperation<{ runWorkflow: PlannedWorkflow }, { runId: string }>(
  'mutation RunPlannedWorkflow($runId: ID!) { runWorkflow(runId: $runId) { runId status } }',
);

export const RetryWorkflowMutation = defineOperation<{ retryWorkflow: PlannedWorkflow }, { runId: string }>(
  'mutation RetryWorkflow($runId: ID!) { retryWorkflow(runId: $runId) { runId status } }',
);
