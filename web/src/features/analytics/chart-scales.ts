/**
 * The arithmetic of the analytics charts (inline SVG, no chart library): linear and band scales,
 * round axis ticks, and a daily series with its missing days filled in. Pure.
 */

/** Maps `[d0, d1]` onto `[r0, r1]` linearly; a zero-width domain maps everything to `r0`. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (value: number): number => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0));
}

/** A round step near `span / count`: 1, 2 or 5 times a power of ten. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Ticks from 0 to a round maximum at or above `max` (about `count` of them); whole steps with `integer`. */
export function niceTicks(max: number, count = 4, integer = false): number[] {
  if (!(max > 0)) return [0, 1];
  const step = integer ? Math.max(1, niceStep(max, count)) : niceStep(max, count);
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + step / 1e6; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

export interface Band {
  /** Start of the key's band. */
  at(key: string): number;
  bandwidth: number;
}

/** Equal bands for `keys` across `[r0, r1]`, with `padding` (0..1 of a step) between them. */
export function bandScale(keys: readonly string[], range: readonly [number, number], padding = 0.2): Band {
  const [r0, r1] = range;
  const step = keys.length === 0 ? 0 : (r1 - r0) / keys.length;
  const bandwidth = step * (1 - padding);
  const index = new Map(keys.map((k, i) => [k, i]));
  return { at: (key) => r0 + (index.get(key) ?? 0) * step + (step - bandwidth) / 2, bandwidth };
}

const DAY = 86_400_000;

/** `2026-11-24` as the UTC midnight it starts at. */
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/**
 * A daily series from its first to its last day with the days that had nothing filled in by
 * `empty(day)`, so bars stand at their dates.
 */
export function fillDays<T extends { day: string }>(rows: readonly T[], empty: (day: string) => T): T[] {
  if (rows.length === 0) return [];
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const days = [...byDay.keys()].filter((d) => !Number.isNaN(dayStart(d))).sort();
  const first = dayStart(days[0] as string);
  const last = dayStart(days[days.length - 1] as string);
  const filled: T[] = [];
  for (let t = first; t <= last; t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    filled.push(byDay.get(day) ?? empty(day));
  }
  return filled;
}

/** An axis label: `0`, `12`, `1.5k`, `2M`; with `percent`, a 0..1 share as `40%`. */
export function formatTick(value: number, unit: 'count' | 'percent' | 'usd' | 'ms' = 'count'): string {
  if (unit === 'percent') return `${Math.round(value * 100)}%`;
  if (unit === 'usd') {
    if (value === 0) return '$0';
    return value < 0.01 ? `$${value.toPrecision(1)}` : value < 10 ? `$${value.toFixed(2)}` : `$${Math.round(value)}`;
  }
  const suffix = unit === 'ms' ? ' ms' : '';
  if (Math.abs(value) >= 1e6) return `${trim(value / 1e6)}M${suffix}`;
  if (Math.abs(value) >= 1e3) return unit === 'ms' ? `${trim(value / 1e3)} s` : `${trim(value / 1e3)}k`;
  return `${trim(value)}${suffix}`;
}

const trim = (n: number) => String(Number(n.toFixed(n < 10 ? 2 : 1)));
