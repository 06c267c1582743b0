import { describe, expect, it } from 'vitest';
import { takeFrame, tokenBudget } from './event-pacer';

const isToken = (item: string) => item.startsWith('t');

describe('tokenBudget', () => {
  it('is at least one token a frame and drains any backlog within the frame limit', () => {
    expect(tokenBudget(0)).toBe(1);
    expect(tokenBudget(3, 15)).toBe(1);
    expect(tokenBudget(79, 15)).toBe(6);
    expect(Math.ceil(1000 / tokenBudget(1000, 15))).toBeLessThanOrEqual(15);
  });
});

describe('takeFrame', () => {
  it('takes events up to the token that would exceed the budget', () => {
    expect(takeFrame(['e1', 't1', 'e2', 't2', 't3'], isToken, 1)).toBe(3);
    expect(takeFrame(['t1', 't2', 't3', 'e1'], isToken, 2)).toBe(2);
  });

  it('takes everything when the budget covers the tokens', () => {
    expect(takeFrame(['e1', 't1', 'e2'], isToken, 5)).toBe(3);
    expect(takeFrame([], isToken, 1)).toBe(0);
  });

  it('drains a burst over several frames, keeping the order', () => {
    const queue = ['snapshot', ...Array.from({ length: 17 }, (_, i) => `t${i}`), 'completed'];
    const frames: string[][] = [];
    while (queue.length > 0) {
      const budget = tokenBudget(queue.filter(isToken).length, 6);
      frames.push(queue.splice(0, takeFrame(queue, isToken, budget)));
    }
    expect(frames.length).toBeGreaterThanOrEqual(6);
    expect(frames.flat()).toEqual(['snapshot', ...Array.from({ length: 17 }, (_, i) => `t${i}`), 'completed']);
  });
});
