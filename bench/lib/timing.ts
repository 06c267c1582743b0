/** Timing helpers: warm-up, sampled runs, percentiles, and a garbage collection between suites. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Summary of a set of samples, in milliseconds. */
export interface Stats {
  n: number;
  mean: number;
  p50: number;
  p99: number;
  min: number;
}

/** Nanosecond clock as milliseconds (float); the difference of two readings is exact to the ns. */
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** The p-th percentile (0..100) of samples, nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

export function stats(samples: readonly number[]): Stats {
  const sum = samples.reduce((a, b) => a + b, 0);
  return {
    n: samples.length,
    mean: sum / samples.length,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    min: Math.min(...samples),
  };
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/** Runs `fn` `times` times, one after the other, and returns each run's wall time in ms. */
export async function sample(fn: () => Promise<unknown>, times: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = nowMs();
    await fn();
    out.push(nowMs() - start);
  }
  return out;
}

/**
 * Samples several contenders in interleaved rounds (A, B, C, A, B, C, ...) after warming each up,
 * so drift on a shared machine (other processes, JIT tiers, heap growth) lands on all of them.
 * Returns each run's wall time and the mean CPU time per run, which other processes disturb less.
 */
export async function sampleInterleaved(
  contenders: Record<string, () => Promise<unknown>>,
  options: { warmup: number; iterations: number; rounds: number },
): Promise<Record<string, { wallMs: number[]; cpuMsPerRun: number }>> {
  const out: Record<string, { wallMs: number[]; cpuMs: number }> = {};
  for (const [name, fn] of Object.entries(contenders)) {
    await sample(fn, options.warmup);
    out[name] = { wallMs: [], cpuMs: 0 };
  }
  const perRound = Math.max(1, Math.ceil(options.iterations / options.rounds));
  // No forced GC between rounds: after one, the first runs of the next round pay for it.
  for (let round = 0; round < options.rounds; round++) {
    for (const [name, fn] of Object.entries(contenders)) {
      const cpu = process.cpuUsage();
      const wall = await sample(fn, perRound);
      const into = out[name] as { wallMs: number[]; cpuMs: number };
      into.wallMs.push(...wall);
      into.cpuMs += cpuMsSince(cpu);
    }
  }
  return Object.fromEntries(
    Object.entries(out).map(([name, { wallMs, cpuMs }]) => [name, { wallMs, cpuMsPerRun: cpuMs / wallMs.length }]),
  );
}

/** CPU time of this process (all threads, GC helpers included) since `start`, in ms. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

let gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** A full collection, so one suite's garbage is not collected on the next one's clock. */
export function collectGarbage(): void {
  if (!gc) {
    // Without --expose-gc, the flag can still be set at run time and gc read from a fresh context.
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
