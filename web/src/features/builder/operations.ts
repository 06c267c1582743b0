/**
 * The GraphQL operations of the builder: templates (save, list, load, delete) and running one,
 * each typed with its result and variables (checked against `schema/schema.graphql` by the test).
 */
import { defineOperation } from '@/features/workflows/define-operation';
import type { Connection, NodePositionInput, PlanInput, Workflow, WorkflowTemplate } from '@/lib/graphql/schema-types';

/** A template with everything the canvas needs. */
export type TemplateFields = Pick<WorkflowTemplate, 'id' | 'name' | 'description' | 'plan' | 'layout' | 'updatedAt'>;

const templateFields = `id name description updatedAt
  plan { planner rationale steps { id agent instruction dependsOn question insertedFor } }
  layout { stepId x y }`;

export const WorkflowTemplatesQuery = defineOperation<
  { workflowTemplates: Connection<TemplateFields> },
  { first?: number; after?: string | null }
>(`query WorkflowTemplates($first: Int, $after: String) {
  workflowTemplates(first: $first, after: $after) { nodes { ${templateFields} } pageInfo { endCursor hasNextPage } }
}`);

export const WorkflowTemplateQuery = defineOperation<{ workflowTemplate: TemplateFields | null }, { id: string }>(
  `query WorkflowTemplate($id: ID!) { workflowTemplate(id: $id) { ${templateFields} } }`,
);

export const SaveWorkflowTemplateMutation = defineOperation<
  { saveWorkflowTemplate: Pick<WorkflowTemplate, 'id' | 'name' | 'updatedAt'> },
  { id?: string | null; name: string; description?: string | null; plan: PlanInput; layout: NodePositionInput[] }
>(`mutation SaveWorkflowTemplate($id: ID, $name: String!, $description: String, $plan: PlanInput!, $layout: [NodePositionInput!]) {
  saveWorkflowTemplate(id: $id, name: $name, description: $description, plan: $plan, layout: $layout) { id name updatedAt }
}`);

export const DeleteWorkflowTemplateMutation = defineOperation<{ deleteWorkflowTemplate: boolean }, { id: string }>(
  'mutation DeleteWorkflowTemplate($id: ID!) { deleteWorkflowTemplate(id: $id) }',
);

export const RunTemplateMutation = defineOperation<
  { runWorkflow: Pick<Workflow, 'runId' | 'status'> },
  { templateId: string }
>('mutation RunTemplate($templateId: ID!) { runWorkflow(templateId: $templateId) { runId status } }');
