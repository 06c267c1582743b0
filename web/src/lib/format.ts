/** Display formatting shared by every page: money, shares, durations, times, model ids. */

/** `$0.00` for free, four decimals under a cent (`$0.0042`), else two (`$1.23`). */
export function formatCost(usd: number): string {
  if (!Number.isFinite(usd) || usd <= 0) return '$0.00';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

/** A 0..1 share as a whole percentage: `0.834` -> `83%`. */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return '–';
  return `${Math.round(Math.min(1, Math.max(0, share)) * 100)}%`;
}

/** `420 ms`, `4.2 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** `just now`, `5 min ago`, `3 h ago`, `2 d ago`, then the date. */
export function formatRelativeTime(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  if (seconds < 7 * 86_400) return `${Math.round(seconds / 86_400)} d ago`;
  return new Date(then).toISOString().slice(0, 10);
}

export interface ModelName {
  provider: string;
  name: string;
}

/** Splits a model id at its first colon: `ollama:llama3.1:8b` -> `ollama` + `llama3.1:8b`. */
export function parseModelId(id: string): ModelName {
  const at = id.indexOf(':');
  return at < 0 ? { provider: '', name: id } : { provider: id.slice(0, at), name: id.slice(at + 1) };
}

/** Where an answer came from, as the badges say it. */
export type Locality = 'offline' | 'local' | 'cloud';

export function localityOf(usage: { offline: boolean; local: boolean }): Locality {
  if (usage.offline) return 'offline';
  return usage.local ? 'local' : 'cloud';
}

export const localityLabel: Record<Locality, string> = {
  offline: 'offline model',
  local: 'local model',
  cloud: 'cloud model',
};

/** Hues far enough apart to tell positions apart at a glance. */
export const POSITION_HUES: readonly number[] = [250, 25, 155, 200, 330, 45, 285, 120, 0, 180];

/** A stable hue for a position, so the same stance has the same colour wherever it stands alone. */
export function hueOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return POSITION_HUES[(h >>> 0) % POSITION_HUES.length] as number;
}

/** Distinct hues for the positions of one turn, in the order they were taken. */
export function huesFor(positions: readonly string[]): Map<string, number> {
  const hues = new Map<string, number>();
  for (const position of positions) {
    if (!hues.has(position)) hues.set(position, POSITION_HUES[hues.size % POSITION_HUES.length] as number);
  }
  return hues;
}

/** The first line of a text, cut to `max` characters (at a word when one ends late enough) with an ellipsis. */
export function truncate(text: string, max: number): string {
  const line = text.trim().split('\n')[0] ?? '';
  if (line.length <= max) return line;
  const cut = line.slice(0, Math.max(0, max - 1));
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
