/** How long to wait before reconnecting: exponential with jitter, capped. */
export interface BackoffOptions {
  /** The first wait. @default 500 */
  baseMs?: number;
  /** The longest wait. @default 8000 */
  maxMs?: number;
  /** The share of the wait that is random, so that many tabs do not reconnect in step. @default 0.3 */
  jitter?: number;
}

/**
 * The wait before reconnect attempt `attempt` (0 for the first retry): `baseMs * 2^attempt`, capped
 * at `maxMs`, minus up to `jitter` of it at random.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const { baseMs = 500, maxMs = 8_000, jitter = 0.3 } = options;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * (1 - jitter * random()));
}
