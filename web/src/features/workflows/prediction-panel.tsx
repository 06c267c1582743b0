import { formatCost, formatDuration, formatPercent } from '@/lib/format';
import type { Prediction } from '@/lib/graphql/schema-types';
import styles from './workflows.module.css';

/** What actually happened, to set next to the prediction once the run has ended. */
export interface Outcome {
  succeeded: boolean;
  durationMs: number | null;
  costUsd: number;
}

/**
 * reVo's expectation of a run before it starts: success chance, duration, cost, risks and how sure
 * it is (with the basis in words). After the run, the outcome stands next to each number.
 */
export function PredictionPanel({ prediction, outcome }: { prediction: Prediction; outcome?: Outcome | null }) {
  const success = Math.round(Math.max(0, Math.min(1, prediction.successProbability)) * 100);
  return (
    <section className={styles.prediction} aria-labelledby="prediction-title" data-testid="prediction">
      <h2 id="prediction-title" className={styles.sectionTitle}>
        Prediction
      </h2>
      <dl className={styles.figures}>
        <div className={styles.figure}>
          <dt>Success</dt>
          <dd data-testid="prediction-success">
            <span className={styles.bigNumber}>{success}%</span>
            <span className={styles.meter} aria-hidden="true">
              <span style={{ width: `${success}%` }} />
            </span>
            {outcome ? (
              <span className={styles.outcome}>{outcome.succeeded ? 'it succeeded' : 'it did not'}</span>
            ) : null}
          </dd>
        </div>
        <div className={styles.figure}>
          <dt>Time</dt>
          <dd>
            <span className={styles.bigNumber}>
              {prediction.durationMs > 0 ? formatDuration(prediction.durationMs) : '–'}
            </span>
            {outcome?.durationMs != null ? (
              <span className={styles.outcome}>took {formatDuration(outcome.durationMs)}</span>
            ) : null}
          </dd>
        </div>
        <div className={styles.figure}>
          <dt>Cost</dt>
          <dd>
            <span className={styles.bigNumber}>{formatCost(prediction.costUsd)}</span>
            {outcome ? <span className={styles.outcome}>cost {formatCost(outcome.costUsd)}</span> : null}
          </dd>
        </div>
        <div className={styles.figure}>
          <dt>Confidence</dt>
          <dd>
            <span className={styles.bigNumber}>{formatPercent(prediction.confidence)}</span>
          </dd>
        </div>
      </dl>
      <p className={styles.basis}>{prediction.basis}</p>
      {prediction.risks.length > 0 ? (
        <ul className={styles.risks} aria-label="Risks">
          {prediction.risks.map((risk) => (
            <li key={risk}>{risk}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
