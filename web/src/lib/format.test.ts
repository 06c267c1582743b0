import { describe, expect, it } from 'vitest';
import {
  formatCost,
  formatDuration,
  formatPercent,
  formatRelativeTime,
  POSITION_HUES,
  hueOf,
  huesFor,
  localityOf,
  parseModelId,
  truncate,
} from './format';

describe('formatCost', () => {
  it('shows free runs as $0.00', () => {
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(Number.NaN)).toBe('$0.00');
  });
  it('keeps four decimals under a cent and two above', () => {
    expect(formatCost(0.0042)).toBe('$0.0042');
    expect(formatCost(1.234)).toBe('$1.23');
  });
});

describe('formatPercent', () => {
  it('rounds a share to a whole percentage and clamps it', () => {
    expect(formatPercent(0.834)).toBe('83%');
    expect(formatPercent(1.2)).toBe('100%');
    expect(formatPercent(Number.NaN)).toBe('–');
  });
});

describe('formatDuration', () => {
  it('picks milliseconds, seconds or minutes', () => {
    expect(formatDuration(420)).toBe('420 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(120_000)).toBe('2 min');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');
  it('says how long ago, then falls back to the date', () => {
    expect(formatRelativeTime('2026-11-24T11:59:50Z', now)).toBe('just now');
    expect(formatRelativeTime('2026-11-24T11:55:00Z', now)).toBe('5 min ago');
    expect(formatRelativeTime('2026-11-24T09:00:00Z', now)).toBe('3 h ago');
    expect(formatRelativeTime('2026-11-01T09:00:00Z', now)).toBe('2026-11-01');
    expect(formatRelativeTime('not a date', now)).toBe('');
  });
});

describe('parseModelId', () => {
  it('splits at the first colon only', () => {
    expect(parseModelId('ollama:llama3.1:8b')).toEqual({ provider: 'ollama', name: 'llama3.1:8b' });
    expect(parseModelId('plain')).toEqual({ provider: '', name: 'plain' });
  });
});

describe('localityOf', () => {
  it('ranks offline over local over cloud', () => {
    expect(localityOf({ offline: true, local: true })).toBe('offline');
    expect(localityOf({ offline: false, local: true })).toBe('local');
    expect(localityOf({ offline: false, local: false })).toBe('cloud');
  });
});

describe('hueOf', () => {
  it('gives the same text the same hue from the palette', () => {
    expect(hueOf('rest')).toBe(hueOf('rest'));
    expect(POSITION_HUES).toContain(hueOf('graphql'));
  });
});

describe('huesFor', () => {
  it('gives each position of a turn its own hue, in order', () => {
    const hues = huesFor(['postgres', 'redis', 'postgres', 'sse']);
    expect([...hues.keys()]).toEqual(['postgres', 'redis', 'sse']);
    expect(new Set(hues.values()).size).toBe(3);
  });
});

describe('truncate', () => {
  it('keeps the first line and cuts it with an ellipsis', () => {
    expect(truncate('Compare REST and gRPC\nsecond line', 100)).toBe('Compare REST and gRPC');
    expect(truncate('Compare REST, GraphQL and gRPC', 12)).toBe('Compare…');
  });
});
