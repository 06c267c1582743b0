'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useQuery } from '@/lib/graphql/use-query';
import { useNow } from '@/features/workflows/use-now';
import { ActorDetail } from './actor-detail';
import { ActorList } from './actor-list';
import { ActorsQuery } from './operations';
import styles from './inspector.module.css';

const KINDS = ['conversation', 'workflow', 'execution', 'discussion', 'agent'];
/** The list of actors has no feed of its own: ask again this often while the page is open. */
const REFRESH_MS = 3000;

/** `/inspector?actor=<id>` opens an actor; `?run=<id>` shows that run's actors and opens its workflow. */
export function InspectorPage() {
  const params = useSearchParams();
  const actorId = params.get('actor');
  const runId = params.get('run');
  const [includeFinished, setIncludeFinished] = useState(runId !== null);
  const [kind, setKind] = useState<string | null>(null);
  const actors = useQuery(ActorsQuery, { kind, runId, includeFinished });
  const now = useNow(true, REFRESH_MS);
  const list = actors.data?.actors ?? [];

  const go = useCallback(
    (next: { actor?: string | null; run?: string | null }, replace = false) => {
      const query = new URLSearchParams();
      const run = next.run === undefined ? runId : next.run;
      const actor = next.actor === undefined ? actorId : next.actor;
      if (run) query.set('run', run);
      if (actor) query.set('actor', actor);
      const url = query.size > 0 ? `/inspector?${query}` : '/inspector';
      if (replace) window.history.replaceState(null, '', url);
      else window.history.pushState(null, '', url);
    },
    [actorId, runId],
  );

  const { refetch } = actors;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `now` ticks the refresh.
  useEffect(() => {
    if (document.visibilityState === 'visible') refetch();
  }, [now]);

  // Opened for a run: show its top machine.
  const top = list.find((a) => a.kind === 'conversation') ?? list.find((a) => a.kind === 'workflow') ?? list[0];
  useEffect(() => {
    if (!actorId && runId && top) go({ actor: top.id }, true);
  }, [actorId, runId, top, go]);

  return (
    <div className={styles.page}>
      <aside className={styles.sidebar} aria-label="Actors">
        <div className={styles.filters}>
          <h2 className={styles.sectionTitle}>Actors</h2>
          <label className={styles.toggle}>
            <input
              type="checkbox"
              checked={includeFinished}
              data-testid="include-finished"
              onChange={(e) => setIncludeFinished(e.target.checked)}
            />
            Include finished
          </label>
          <label className={styles.kindFilter}>
            <span className="visually-hidden">Machine</span>
            <select className="input input--small" value={kind ?? ''} onChange={(e) => setKind(e.target.value || null)}>
              <option value="">All machines</option>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          {runId ? (
            <p className={styles.runFilter}>
              Run <code>{runId}</code>{' '}
              <button type="button" className="link-button" onClick={() => go({ run: null })}>
                show all
              </button>
            </p>
          ) : null}
        </div>
        {actors.loading && list.length === 0 ? <LoadingState label="Loading actors…" /> : null}
        {actors.error ? <ErrorState error={actors.error} title="Could not load the actors" onRetry={refetch} /> : null}
        {!actors.loading && !actors.error && list.length === 0 ? (
          <EmptyState title={includeFinished ? 'No actors' : 'No live actors'}>
            {includeFinished
              ? 'Start a chat or a workflow and its machines appear here.'
              : 'Nothing is running now. Tick “Include finished” to see recent ones.'}
          </EmptyState>
        ) : null}
        <ActorList actors={list} selectedId={actorId} onSelect={(id) => go({ actor: id })} now={now} />
      </aside>
      <div className={styles.main}>
        {actorId ? (
          <ActorDetail
            key={actorId}
            actorId={actorId}
            onSelect={(id) => go({ actor: id })}
            onChange={refetch}
            now={now}
          />
        ) : (
          <EmptyState title="Choose an actor">
            <p>
              Every conversation, workflow, execution, discussion and agent is an XState actor. Choose one to see its
              statechart with the current state lit, follow it live, and step back through its snapshots.
            </p>
          </EmptyState>
        )}
      </div>
    </div>
  );
}
