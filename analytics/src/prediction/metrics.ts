/** One scored case: a predicted probability and what happened (1 = success). */
export interface Scored {
  p: number;
  y: 0 | 1;
}

/**
 * Area under the ROC curve from ranks (Mann-Whitney U): the chance that a random success is scored
 * above a random failure, tied scores counting one half. 0.5 when either class is absent.
 */
export function auc(cases: readonly Scored[]): number {
  const sorted = [...cases].sort((a, b) => a.p - b.p);
  const positives = sorted.filter((c) => c.y === 1).length;
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  let rankSum = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && (sorted[j] as Scored).p === (sorted[i] as Scored).p) j++;
    // Tied scores share the mean of the ranks they span (ranks are 1-based: i+1 .. j).
    const meanRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if ((sorted[k] as Scored).y === 1) rankSum += meanRank;
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared error of the probabilities: 0 is perfect, 0.25 is a constant 0.5. */
export function brierScore(cases: readonly Scored[]): number {
  if (cases.length === 0) return 0;
  let sum = 0;
  for (const { p, y } of cases) sum += (p - y) ** 2;
  return sum / cases.length;
}

/**
 * Expected calibration error: cases binned by predicted probability into `bins` equal-width bins,
 * the gap between mean prediction and observed rate per bin, weighted by the bin's share.
 * @default bins 10
 */
export function calibrationError(cases: readonly Scored[], bins = 10): number {
  if (cases.length === 0) return 0;
  const sums = Array.from({ length: bins }, () => ({ n: 0, p: 0, y: 0 }));
  for (const { p, y } of cases) {
    const bin = sums[Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))] as { n: number; p: number; y: number };
    bin.n += 1;
    bin.p += p;
    bin.y += y;
  }
  let error = 0;
  for (const bin of sums) if (bin.n > 0) error += Math.abs(bin.p - bin.y) / cases.length;
  return error;
}
