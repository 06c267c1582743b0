'use client';

import { NARROW, useMediaQuery } from '@/features/workflows/use-media-query';
import styles from './analytics.module.css';
import { bandScale, formatTick, linearScale, niceTicks } from './chart-scales';

export interface DaySeries {
  key: string;
  label: string;
  tone: 'ok' | 'danger' | 'warn' | 'accent' | 'info';
  values: readonly number[];
}

type Unit = 'count' | 'percent' | 'usd' | 'ms';

const LEFT = 44;
const RIGHT = 8;
const TOP = 8;
const BOTTOM = 22;

/** `2026-11-24` -> `Nov 24`. */
const dayLabel = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/**
 * A measure over days: stacked bars (`kind: 'bars'`) or a line with dots (`'line'`), with a y axis
 * of round ticks and a few day labels. Inline SVG that scales to its container.
 */
export function DayChart({
  title,
  days,
  series,
  unit,
  kind = 'bars',
  max,
  emptyText = 'Nothing on these days.',
}: {
  title: string;
  days: readonly string[];
  series: readonly DaySeries[];
  unit: Unit;
  kind?: 'bars' | 'line';
  /** The scale's top (1 for shares); by default a round number above the data. */
  max?: number;
  /** Said across the chart when every value is zero. */
  emptyText?: string;
}) {
  // Drawn narrower on a phone, so its text stays readable when the chart fills the width.
  const narrow = useMediaQuery(NARROW);
  const W = narrow ? 360 : 640;
  const H = narrow ? 180 : 200;
  const blank = series.every((s) => s.values.every((v) => !v));
  const totals = days.map((_, i) =>
    kind === 'bars'
      ? series.reduce((s, x) => s + (x.values[i] ?? 0), 0)
      : Math.max(0, ...series.map((x) => x.values[i] ?? 0)),
  );
  const ticks =
    max !== undefined
      ? niceTicks(max, 4).filter((t) => t <= max)
      : niceTicks(Math.max(0, ...totals), 4, unit === 'count');
  const top = max ?? ticks[ticks.length - 1] ?? 1;
  const y = linearScale([0, top], [H - BOTTOM, TOP]);
  const band = bandScale(days, [LEFT, W - RIGHT], days.length > 20 ? 0.15 : 0.3);
  const every = Math.max(1, Math.ceil(days.length / 7));
  const centre = (day: string) => band.at(day) + band.bandwidth / 2;
  const bar = Math.min(band.bandwidth, 48);
  return (
    <figure className={styles.figure}>
      <figcaption className={styles.figureTitle}>{title}</figcaption>
      <svg
        className={styles.svg}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${title}, ${days.length} day${days.length === 1 ? '' : 's'}: ${days
          .map((d, i) => `${d} ${series.map((s) => `${s.label} ${formatTick(s.values[i] ?? 0, unit)}`).join(' ')}`)
          .join('; ')}`}
      >
        {ticks.map((t) => (
          <g key={t} className={styles.grid}>
            <line x1={LEFT} x2={W - RIGHT} y1={y(t)} y2={y(t)} />
            <text x={LEFT - 6} y={y(t) + 4} textAnchor="end">
              {formatTick(t, unit)}
            </text>
          </g>
        ))}
        {days.map((day, i) =>
          i % every === 0 || i === days.length - 1 ? (
            <text key={day} className={styles.axisLabel} x={centre(day)} y={H - 6} textAnchor="middle">
              {dayLabel(day)}
            </text>
          ) : null,
        )}
        {kind === 'bars'
          ? days.map((day, i) => {
              let base = 0;
              return (
                <g key={day}>
                  {series.map((s) => {
                    const v = s.values[i] ?? 0;
                    const y0 = y(base);
                    base += v;
                    const y1 = y(base);
                    return v > 0 ? (
                      <rect
                        key={s.key}
                        className={styles[`bar_${s.tone}`]}
                        x={centre(day) - bar / 2}
                        y={y1}
                        width={bar}
                        height={Math.max(1, y0 - y1)}
                      >
                        <title>{`${dayLabel(day)}: ${s.label} ${formatTick(v, unit)}`}</title>
                      </rect>
                    ) : null;
                  })}
                </g>
              );
            })
          : series.map((s) => (
              <g key={s.key} className={styles[`line_${s.tone}`]}>
                {days.length > 1 ? (
                  <path
                    d={days.map((day, i) => `${i === 0 ? 'M' : 'L'}${centre(day)},${y(s.values[i] ?? 0)}`).join(' ')}
                  />
                ) : null}
                {days.map((day, i) => (
                  <circle key={day} cx={centre(day)} cy={y(s.values[i] ?? 0)} r={3.5}>
                    <title>{`${dayLabel(day)}: ${s.label} ${formatTick(s.values[i] ?? 0, unit)}`}</title>
                  </circle>
                ))}
              </g>
            ))}
        {blank ? (
          <text className={styles.emptyText} x={(LEFT + W - RIGHT) / 2} y={(TOP + H - BOTTOM) / 2} textAnchor="middle">
            {emptyText}
          </text>
        ) : null}
      </svg>
      {series.length > 1 ? (
        <ul className={styles.legend}>
          {series.map((s) => (
            <li key={s.key}>
              <span className={`${styles.swatch} ${styles[`swatch_${s.tone}`]}`} aria-hidden="true" />
              {s.label}
            </li>
          ))}
        </ul>
      ) : null}
    </figure>
  );
}
