'use client';

import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { Disclosure } from '@/components/ui/disclosure';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { formatRelativeTime } from '@/lib/format';
import { useQuery } from '@/lib/graphql/use-query';
import { snapshotsOf } from './inspector-feed';
import { actorTitle } from './actor-list';
import { JsonTree } from './json-tree';
import { knownEventless } from './known-machines';
import { ActorQuery } from './operations';
import { SnapshotStepper } from './snapshot-stepper';
import { activeStateIds, describeValue, parseDefinition, withEventless } from './statechart';
import { StatechartView } from './statechart-view';
import styles from './inspector.module.css';
import { useInspectorFeed } from './use-inspector-feed';

/**
 * One actor: its statechart with the active states lit (live, or at a recorded snapshot), the
 * snapshots to step through, its event timeline, and its context.
 */
export function ActorDetail({
  actorId,
  onSelect,
  onChange,
  now,
}: {
  actorId: string;
  onSelect: (id: string) => void;
  /** The actor moved to another state or stopped: the list may want to show it. */
  onChange: () => void;
  now: number;
}) {
  const actor = useQuery(ActorQuery, { id: actorId });
  const feed = useInspectorFeed(actorId);
  const [position, setPosition] = useState<number | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: another actor starts live.
  useEffect(() => {
    setPosition(null);
  }, [actorId]);

  const moved = `${feed.current?.status ?? ''}:${describeValue(feed.current?.value)}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `moved` stands for the actor's state.
  useEffect(() => {
    onChange();
  }, [moved]);

  const data = actor.data?.actor;
  const kind = data?.kind ?? '';
  const definition = data?.definition;
  const chart = useMemo(() => {
    const parsed = parseDefinition(definition);
    return parsed ? withEventless(parsed, knownEventless(kind)) : null;
  }, [definition, kind]);

  if (actor.error) return <ErrorState error={actor.error} title="Could not load this actor" onRetry={actor.refetch} />;
  if (actor.data && !data) {
    return (
      <EmptyState title="This actor is gone">
        It finished a while ago and the server no longer keeps it. Choose another one.
      </EmptyState>
    );
  }
  if (!data) return <LoadingState label="Loading the actor…" />;

  const snapshots = snapshotsOf(feed);
  const shown =
    position !== null && snapshots[position]
      ? snapshots[position]
      : (feed.current ?? {
          value: data.value,
          context: data.context,
          status: data.status,
          eventType: '',
          at: data.updatedAt,
          index: null,
        });
  const active = chart ? activeStateIds(chart, shown.value) : new Set<string>();
  const status = feed.current?.status ?? data.status;
  const timeline = [...feed.updates].reverse().slice(0, 200);
  const recorded = Math.max(
    feed.current?.index != null ? feed.current.index + 1 : 0,
    data.snapshotCount,
    snapshots.length,
  );

  return (
    <article
      className={styles.detail}
      data-testid="actor-detail"
      data-actor={actorId}
      data-value={describeValue(shown.value)}
      data-live={position === null || undefined}
    >
      <header className={styles.detailHead}>
        <h1 className={styles.detailTitle}>
          {actorTitle(data)} <span className={styles.kind}>{data.kind}</span>
        </h1>
        <p className={styles.detailMeta}>
          <span className={styles.statusDot} data-status={status} aria-hidden="true" />
          <span data-testid="actor-status">{status}</span>
          <span>
            now <strong data-testid="actor-value">{describeValue(feed.current?.value ?? data.value) || '–'}</strong>
          </span>
          {data.runId ? <Link href={`/workflows?run=${encodeURIComponent(data.runId)}`}>run {data.runId}</Link> : null}
          {data.parentId ? (
            <button type="button" className="link-button" onClick={() => onSelect(data.parentId as string)}>
              parent {data.parentId}
            </button>
          ) : null}
          <span>started {formatRelativeTime(data.startedAt, now)}</span>
          <span data-testid="snapshot-count" data-count={recorded}>
            {recorded} snapshots
          </span>
          {feed.ended ? <span>feed ended</span> : null}
        </p>
      </header>
      {feed.error ? <ErrorState error={feed.error} title="The live feed failed" /> : null}

      {chart ? (
        <StatechartView chart={chart} active={active} value={shown.value} />
      ) : (
        <EmptyState title="No machine definition">This actor did not say how it is built.</EmptyState>
      )}

      <SnapshotStepper snapshots={snapshots} position={position} onChange={setPosition} />

      <div className={styles.columns}>
        <section className={styles.timeline} aria-labelledby="timeline-title">
          <h2 id="timeline-title" className={styles.sectionTitle}>
            Timeline <span className={styles.count}>{feed.updates.length}</span>
          </h2>
          {timeline.length === 0 ? <p className={styles.hint}>Nothing recorded yet.</p> : null}
          <ol className={styles.events} data-testid="timeline">
            {timeline.map((u, i) => {
              const snapshotAt = u.kind === 'SNAPSHOT' ? snapshots.findIndex((s) => s.index === u.index) : -1;
              const current = snapshotAt >= 0 && (position ?? snapshots.length - 1) === snapshotAt;
              return (
                <li
                  // biome-ignore lint/suspicious/noArrayIndexKey: events have no id; the same event type can arrive twice in one millisecond.
                  key={`${u.kind}:${u.index ?? ''}:${u.at}:${u.eventType}:${i}`}
                  className={styles.eventRow}
                  data-kind={u.kind}
                  aria-current={current ? 'true' : undefined}
                >
                  <time className={styles.eventTime} dateTime={u.at}>
                    {new Date(u.at).toLocaleTimeString()}
                  </time>
                  {u.kind === 'SNAPSHOT' && snapshotAt >= 0 ? (
                    <button
                      type="button"
                      className={styles.eventButton}
                      onClick={() => setPosition(snapshotAt === snapshots.length - 1 ? null : snapshotAt)}
                    >
                      → <strong>{describeValue(u.value)}</strong>
                    </button>
                  ) : (
                    <span className={styles.eventType}>{u.eventType}</span>
                  )}
                </li>
              );
            })}
          </ol>
        </section>
        <section className={styles.context} aria-labelledby="context-title">
          <h2 id="context-title" className={styles.sectionTitle}>
            Context {position !== null ? <span className={styles.count}>at snapshot {position + 1}</span> : null}
          </h2>
          <Disclosure summary="Context (JSON)" defaultOpen testId="actor-context">
            <JsonTree value={shown.context} open={1} />
          </Disclosure>
        </section>
      </div>
    </article>
  );
}
