import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles from the base wait and stops at the cap', () => {
    const top = () => 0;
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, {}, top))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });
  it('takes off at most the jitter share at random', () => {
    expect(backoffDelay(2, { jitter: 0.5 }, () => 1)).toBe(1000);
    expect(backoffDelay(2, { jitter: 0.5 }, () => 0.5)).toBe(1500);
  });
  it('honours its options', () => {
    expect(backoffDelay(3, { baseMs: 100, maxMs: 500, jitter: 0 })).toBe(500);
  });
});
