import { describe, expect, it } from 'vitest';
import { bandScale, fillDays, formatTick, linearScale, niceStep, niceTicks } from './chart-scales';

describe('chart scales', () => {
  it('maps a domain onto a range, reversed ranges too', () => {
    const x = linearScale([0, 10], [0, 200]);
    expect(x(5)).toBe(100);
    const y = linearScale([0, 1], [100, 0]);
    expect(y(0.25)).toBe(75);
    expect(linearScale([3, 3], [10, 20])(99)).toBe(10);
  });

  it('picks round steps and ticks up to a round maximum', () => {
    expect(niceStep(10, 4)).toBe(5);
    expect(niceStep(0.03, 3)).toBe(0.01);
    expect(niceTicks(7, 4)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(100, 4)).toEqual([0, 50, 100]);
    expect(niceTicks(0.033, 3)).toEqual([0, 0.02, 0.04]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(2, 4, true)).toEqual([0, 1, 2]);
  });

  it('splits a range into padded bands', () => {
    const band = bandScale(['a', 'b'], [0, 100], 0.2);
    expect(band.bandwidth).toBe(40);
    expect(band.at('a')).toBe(5);
    expect(band.at('b')).toBe(55);
  });

  it('fills in the days between the first and the last', () => {
    const filled = fillDays(
      [
        { day: '2026-11-24', runs: 3 },
        { day: '2026-11-21', runs: 1 },
      ],
      (day) => ({ day, runs: 0 }),
    );
    expect(filled).toEqual([
      { day: '2026-11-21', runs: 1 },
      { day: '2026-11-22', runs: 0 },
      { day: '2026-11-23', runs: 0 },
      { day: '2026-11-24', runs: 3 },
    ]);
    expect(fillDays([], (day) => ({ day }))).toEqual([]);
  });

  it('labels ticks in the units of the chart', () => {
    expect(formatTick(0.4, 'percent')).toBe('40%');
    expect(formatTick(1500)).toBe('1.5k');
    expect(formatTick(2500, 'ms')).toBe('2.5 s');
    expect(formatTick(40, 'ms')).toBe('40 ms');
    expect(formatTick(0.004, 'usd')).toBe('$0.004');
    expect(formatTick(1.5, 'usd')).toBe('$1.50');
    expect(formatTick(0, 'usd')).toBe('$0');
  });
});
