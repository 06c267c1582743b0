'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useState } from 'react';
import { OfflineBanner } from '@/components/shell/offline-badge';
import { EmptyState } from '@/components/ui/states';
import { AgentsProvider } from '@/features/chat/agents-context';
import type { WorkflowStatus } from '@/lib/graphql/schema-types';
import { PlanForm } from './plan-form';
import { useWorkflowPages } from './use-workflow-pages';
import { WorkflowHistory } from './workflow-history';
import { WorkflowView } from './workflow-view';
import styles from './workflows.module.css';

/** `/workflows?run=<id>` opens a run; the history and the new-task form sit beside it. */
export function WorkflowsPage() {
  return (
    <AgentsProvider>
      <Workflows />
    </AgentsProvider>
  );
}

function Workflows() {
  const runId = useSearchParams().get('run');
  const open = useCallback((id: string | null) => {
    window.history.pushState(null, '', id ? `/workflows?run=${encodeURIComponent(id)}` : '/workflows');
  }, []);
  const [status, setStatus] = useState<WorkflowStatus | null>(null);
  const pages = useWorkflowPages(status);
  const { refetch } = pages;

  return (
    <div className={styles.page}>
      <aside className={styles.sidebar} aria-label="Runs">
        <PlanForm
          onPlanned={(id) => {
            open(id);
            refetch();
          }}
        />
        <WorkflowHistory pages={pages} status={status} onStatusChange={setStatus} selectedRunId={runId} onOpen={open} />
      </aside>
      <div className={styles.main}>
        <OfflineBanner />
        {runId ? (
          <WorkflowView key={runId} runId={runId} onOpen={open} onStatusChange={refetch} />
        ) : (
          <EmptyState title="Plan a workflow, or open one">
            <p>
              Describe a task and reVo plans it as a graph of agent steps, with what it expects (success, time, cost,
              risks) before anything runs. Press Run to watch each step light up as it works.
            </p>
          </EmptyState>
        )}
      </div>
    </div>
  );
}
