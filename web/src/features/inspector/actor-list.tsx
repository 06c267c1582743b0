'use client';

import { formatRelativeTime } from '@/lib/format';
import type { ActorSummary } from './operations';
import { describeValue } from './statechart';
import styles from './inspector.module.css';

/** What to call an actor: its name in its parent (`step:tester`), or for a root its run or conversation. */
export const actorTitle = (actor: Pick<ActorSummary, 'id' | 'name' | 'runId'>): string =>
  actor.name === actor.id ? (actor.runId ?? actor.id) : actor.name;

const ORDER = ['conversation', 'workflow', 'execution', 'discussion', 'agent'];
const rank = (kind: string) => {
  const at = ORDER.indexOf(kind);
  return at < 0 ? ORDER.length : at;
};

/** The actors grouped by machine, parents' kinds first; each opens in the inspector. */
export function ActorList({
  actors,
  selectedId,
  onSelect,
  now,
}: {
  actors: readonly ActorSummary[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  now: number;
}) {
  const kinds = [...new Set(actors.map((a) => a.kind))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return (
    <div className={styles.groups} data-testid="actor-list">
      {kinds.map((kind) => {
        const group = actors.filter((a) => a.kind === kind);
        return (
          <section key={kind} className={styles.group} aria-label={`${kind} actors`}>
            <h3 className={styles.groupTitle}>
              {kind} <span className={styles.count}>{group.length}</span>
            </h3>
            <ul className={styles.actorList}>
              {group.map((actor) => (
                <li key={actor.id}>
                  <button
                    type="button"
                    className={styles.actor}
                    aria-current={actor.id === selectedId ? 'true' : undefined}
                    data-actor={actor.id}
                    data-kind={actor.kind}
                    data-status={actor.status}
                    onClick={() => onSelect(actor.id)}
                  >
                    <span className={styles.actorHead}>
                      <span className={styles.statusDot} data-status={actor.status} aria-hidden="true" />
                      <span className={styles.actorName}>{actorTitle(actor)}</span>
                      <span className={styles.actorValue}>{describeValue(actor.value)}</span>
                    </span>
                    <span className={styles.actorMeta}>
                      {actor.status} · {actor.id}
                      {actor.runId && actorTitle(actor) !== actor.runId ? ` · ${actor.runId}` : ''} ·{' '}
                      {formatRelativeTime(actor.updatedAt, now)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
