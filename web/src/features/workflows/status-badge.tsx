import type { WorkflowStatus } from '@/lib/graphql/schema-types';
import styles from './workflows.module.css';

const label: Record<WorkflowStatus, string> = {
  PLANNED: 'planned',
  RUNNING: 'running',
  AWAITING_HUMAN: 'needs you',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

/** A run's status as a coloured pill. */
export function WorkflowStatusBadge({ status }: { status: WorkflowStatus }) {
  return (
    <span className={`badge ${styles.status}`} data-status={status} data-testid="workflow-status">
      {label[status]}
    </span>
  );
}

export const workflowStatuses = Object.keys(label) as WorkflowStatus[];
export const workflowStatusLabel = label;
