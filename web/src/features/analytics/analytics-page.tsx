'use client';

import { useId, useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { AgentsProvider } from '@/features/chat/agents-context';
import { useQuery } from '@/lib/graphql/use-query';
import { Report } from './analytics-report';
import styles from './analytics.module.css';
import { AnalyticsQuery } from './operations';
import { type WindowId, isEmpty, sinceFor, windows } from './summary';

/** How agents, cost, local models and conflicts did over a window (`analytics(since)`). */
export function AnalyticsPage() {
  return (
    <AgentsProvider>
      <Analytics />
    </AgentsProvider>
  );
}

function Analytics() {
  const [windowId, setWindowId] = useState<WindowId>('30d');
  // The window's start is fixed when it is chosen, so the query's variables stay put between renders.
  const [since, setSince] = useState(() => sinceFor('30d', Date.now()));
  const analytics = useQuery(AnalyticsQuery, { since });
  const name = useId();
  const choose = (id: WindowId) => {
    setWindowId(id);
    setSince(sinceFor(id, Date.now()));
  };
  const refresh = () => {
    const next = sinceFor(windowId, Date.now());
    if (next === since) analytics.refetch();
    else setSince(next);
  };

  const off = analytics.error?.code === 'UNAVAILABLE';
  const data = analytics.data?.analytics;
  return (
    <section
      className={styles.page}
      aria-labelledby="analytics-title"
      aria-busy={analytics.loading}
      data-testid="analytics"
      data-loading={analytics.loading || undefined}
    >
      <header className={styles.head}>
        <h1 id="analytics-title">Analytics</h1>
        <fieldset className="segmented" data-testid="since">
          <legend className="visually-hidden">Since</legend>
          {windows.map((w) => (
            <label key={w.id} className="segmented__option">
              <input type="radio" name={name} value={w.id} checked={windowId === w.id} onChange={() => choose(w.id)} />
              <span>{w.label}</span>
            </label>
          ))}
        </fieldset>
        <button type="button" className="button button--small" onClick={refresh} disabled={analytics.loading}>
          {analytics.loading && data ? 'Refreshing…' : 'Refresh'}
        </button>
      </header>

      {off ? (
        <EmptyState title="Analytics is off">
          <p>
            This server does not record analytics. Start it with <code>REVO_ANALYTICS=1</code> (the default) to keep run
            events in ClickHouse (embedded, or <code>CLICKHOUSE_URL</code>).
          </p>
        </EmptyState>
      ) : analytics.error ? (
        <ErrorState error={analytics.error} title="Could not load analytics" onRetry={analytics.refetch} />
      ) : !data ? (
        <LoadingState label="Crunching numbers…" />
      ) : isEmpty(data) ? (
        <EmptyState title="Nothing in this window">
          No runs were recorded since then. Run a workflow or chat, or choose a longer window.
        </EmptyState>
      ) : (
        <Report data={data} />
      )}
    </section>
  );
}
