import { formatTick, linearScale, niceTicks } from './chart-scales';
import styles from './analytics.module.css';

export interface BarRow {
  key: string;
  label: string;
  /** `null`: no data (drawn as a dash). */
  value: number | null;
}

type Unit = 'count' | 'percent' | 'usd' | 'ms';

const W = 360;
const LABEL = 118;
const VALUE = 58;
const ROW = 24;
const AXIS = 18;

/**
 * Horizontal bars, one per row, with the value at the end and a light axis: for comparing agents
 * on one measure. Inline SVG that scales to its container; the numbers are also in a table for
 * screen readers.
 */
export function BarChart({
  title,
  rows,
  unit,
  max,
  format = (v) => formatTick(v, unit),
  tone = 'accent',
}: {
  title: string;
  rows: readonly BarRow[];
  unit: Unit;
  /** The scale's top; by default a round number above the largest value. */
  max?: number;
  format?: (value: number) => string;
  tone?: 'accent' | 'ok' | 'info' | 'warn';
}) {
  const largest = Math.max(0, ...rows.map((r) => r.value ?? 0));
  const ticks = max !== undefined ? niceTicks(max, 4).filter((t) => t <= max) : niceTicks(largest, 3, unit === 'count');
  const top = max ?? ticks[ticks.length - 1] ?? 1;
  const x = linearScale([0, top], [LABEL, W - VALUE]);
  const height = rows.length * ROW + AXIS + 4;
  return (
    <figure className={styles.figure}>
      <figcaption className={styles.figureTitle}>{title}</figcaption>
      <svg
        className={styles.svg}
        viewBox={`0 0 ${W} ${height}`}
        // Never drawn much larger than designed: a wide column would blow the text up.
        style={{ maxWidth: W * 1.3 }}
        role="img"
        aria-label={`${title}: ${rows.map((r) => `${r.label} ${r.value === null ? 'no data' : format(r.value)}`).join(', ')}`}
      >
        {ticks.map((t) => (
          <g key={t} className={styles.grid}>
            <line x1={x(t)} x2={x(t)} y1={0} y2={rows.length * ROW} />
            <text x={x(t)} y={rows.length * ROW + 13} textAnchor="middle">
              {formatTick(t, unit)}
            </text>
          </g>
        ))}
        {rows.map((row, i) => {
          const y = i * ROW;
          const value = row.value ?? 0;
          return (
            <g key={row.key} data-key={row.key}>
              <text className={styles.rowLabel} x={LABEL - 8} y={y + ROW / 2 + 4} textAnchor="end">
                {row.label.length > 17 ? `${row.label.slice(0, 16)}…` : row.label}
              </text>
              <rect
                className={styles[`bar_${tone}`]}
                x={LABEL}
                y={y + 5}
                width={Math.max(row.value === null ? 0 : 1.5, x(Math.min(value, top)) - LABEL)}
                height={ROW - 10}
                rx={3}
              >
                <title>{`${row.label}: ${row.value === null ? 'no data' : format(row.value)}`}</title>
              </rect>
              <text className={styles.rowValue} x={W - VALUE + 6} y={y + ROW / 2 + 4}>
                {row.value === null ? '–' : format(row.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
