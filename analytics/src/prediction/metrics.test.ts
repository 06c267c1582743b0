import { describe, expect, it } from 'vitest';
import { auc, brierScore, calibrationError, type Scored } from './metrics';

const cases = (ps: number[], ys: (0 | 1)[]): Scored[] => ps.map((p, i) => ({ p, y: ys[i] ?? 0 }));

describe('auc', () => {
  it('is 1 for a ranker that scores every success above every failure', () => {
    expect(auc(cases([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]))).toBe(1);
  });

  it('is 0 for the reversed ranking', () => {
    expect(auc(cases([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]))).toBe(0);
  });

  it('counts tied scores as one half', () => {
    expect(auc(cases([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]))).toBe(0.5);
    // One success tied with one failure, the other success above both: (1 + 1 + 0.5 + 1) / 4.
    expect(auc(cases([0.3, 0.6, 0.6, 0.9], [0, 0, 1, 1]))).toBe(0.875);
  });

  it('matches the pairwise definition on an unordered sample', () => {
    expect(auc(cases([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]))).toBe(0.75);
  });

  it('is 0.5 when one class is missing', () => {
    expect(auc(cases([0.2, 0.7], [1, 1]))).toBe(0.5);
  });
});

describe('brierScore', () => {
  it('is 0 for perfect probabilities', () => {
    expect(brierScore(cases([0, 1, 1, 0], [0, 1, 1, 0]))).toBe(0);
  });

  it('is 0.25 for a constant one half', () => {
    expect(brierScore(cases([0.5, 0.5, 0.5], [0, 1, 1]))).toBe(0.25);
  });

  it('is the mean squared error', () => {
    expect(brierScore(cases([0.8, 0.3], [1, 0]))).toBeCloseTo((0.04 + 0.09) / 2, 12);
  });
});

describe('calibrationError', () => {
  it('is 0 when every bin predicts its observed rate', () => {
    expect(calibrationError(cases([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75], [1, 0, 0, 0, 1, 1, 1, 0]))).toBe(0);
  });

  it('weights each bin by its share of cases', () => {
    // Bin 0.9 holds all cases and sees 50% successes: a gap of 0.4.
    expect(calibrationError(cases([0.9, 0.9], [1, 0]))).toBeCloseTo(0.4, 12);
  });
});
