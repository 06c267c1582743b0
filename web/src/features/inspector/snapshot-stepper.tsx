'use client';

import type { ActorSnapshot } from './inspector-feed';
import styles from './inspector.module.css';

/**
 * Steps back through the recorded snapshots: a slider and previous/next buttons; `Live` follows
 * the actor again. `position` is an index into `snapshots`, or `null` for live.
 */
export function SnapshotStepper({
  snapshots,
  position,
  onChange,
}: {
  snapshots: readonly ActorSnapshot[];
  position: number | null;
  onChange: (position: number | null) => void;
}) {
  const last = snapshots.length - 1;
  const at = position ?? last;
  const shown = snapshots[at];
  if (snapshots.length === 0) return null;
  const go = (to: number) => onChange(to >= last ? null : Math.max(0, to));
  return (
    <div className={styles.stepper} data-testid="snapshot-stepper">
      <button type="button" className="button button--small" onClick={() => go(at - 1)} disabled={at <= 0}>
        ‹ Previous
      </button>
      <label className={styles.slider}>
        <span className="visually-hidden">Snapshot</span>
        <input
          type="range"
          min={0}
          max={Math.max(0, last)}
          value={at}
          onChange={(e) => go(Number(e.target.value))}
          aria-valuetext={shown ? `snapshot ${at + 1} of ${snapshots.length}, after ${shown.eventType}` : undefined}
        />
      </label>
      <button type="button" className="button button--small" onClick={() => go(at + 1)} disabled={at >= last}>
        Next ›
      </button>
      <button
        type="button"
        className={position === null ? 'button button--small button--primary' : 'button button--small'}
        aria-pressed={position === null}
        onClick={() => onChange(null)}
      >
        Live
      </button>
      <span className={styles.stepperInfo} aria-live="polite">
        {position === null ? 'live' : `snapshot ${at + 1} of ${snapshots.length}`}
        {shown ? (
          <>
            {' '}
            · after <code>{shown.eventType}</code> · {new Date(shown.at).toLocaleTimeString()}
          </>
        ) : null}
      </span>
    </div>
  );
}
