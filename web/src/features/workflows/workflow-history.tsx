'use client';

import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { formatCost, formatRelativeTime, truncate } from '@/lib/format';
import type { WorkflowStatus } from '@/lib/graphql/schema-types';
import { WorkflowStatusBadge, workflowStatusLabel, workflowStatuses } from './status-badge';
import type { WorkflowPages } from './use-workflow-pages';
import styles from './workflows.module.css';

/** Past and current runs, filtered by status, a page at a time; choosing one opens it. */
export function WorkflowHistory({
  pages,
  status,
  onStatusChange,
  selectedRunId,
  onOpen,
}: {
  pages: WorkflowPages;
  status: WorkflowStatus | null;
  onStatusChange: (status: WorkflowStatus | null) => void;
  selectedRunId: string | null;
  onOpen: (runId: string) => void;
}) {
  return (
    <section className={styles.history} aria-labelledby="history-title">
      <div className={styles.historyHead}>
        <h2 id="history-title" className={styles.sectionTitle}>
          History
        </h2>
        <label className={styles.filter}>
          <span className="visually-hidden">Status</span>
          <select
            className="input input--small"
            value={status ?? ''}
            data-testid="history-status"
            onChange={(e) => onStatusChange((e.target.value || null) as WorkflowStatus | null)}
          >
            <option value="">All statuses</option>
            {workflowStatuses.map((s) => (
              <option key={s} value={s}>
                {workflowStatusLabel[s]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button--small button--quiet" onClick={pages.refetch}>
          Refresh
        </button>
      </div>
      {pages.loading && pages.items.length === 0 ? <LoadingState label="Loading runs…" /> : null}
      {pages.error ? <ErrorState error={pages.error} title="Could not load the runs" onRetry={pages.refetch} /> : null}
      {!pages.loading && !pages.error && pages.items.length === 0 ? (
        <EmptyState title={status ? `No ${workflowStatusLabel[status]} runs` : 'No runs yet'}>
          Describe a task above and plan it.
        </EmptyState>
      ) : null}
      {pages.items.length > 0 ? (
        <ul className={styles.runList} data-testid="history">
          {pages.items.map((w) => (
            <li key={w.runId}>
              <button
                type="button"
                className={styles.run}
                aria-current={w.runId === selectedRunId ? 'true' : undefined}
                data-run={w.runId}
                onClick={() => onOpen(w.runId)}
              >
                <span className={styles.runTask}>{truncate(w.task, 90) || w.runId}</span>
                <span className={styles.runMeta}>
                  <WorkflowStatusBadge status={w.status} />
                  {w.mode !== 'WORKFLOW' ? <span>{w.mode.toLowerCase()} chat</span> : null}
                  {w.templateId ? <span>template</span> : null}
                  <span>
                    {w.steps.length} step{w.steps.length === 1 ? '' : 's'}
                  </span>
                  <span>{formatCost(w.usage.costUsd)}</span>
                  <span>{formatRelativeTime(w.createdAt)}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {pages.hasMore ? (
        <button
          type="button"
          className="button button--small"
          onClick={pages.loadMore}
          disabled={pages.loadingMore}
          data-testid="history-more"
        >
          {pages.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </section>
  );
}
