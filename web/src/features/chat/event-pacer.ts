/**
 * Token pacing. A model can deliver a burst of token deltas at once (the offline model sends a whole
 * reply in one go); applied in one render, a burst would appear as a jump. The feed applies queued
 * items frame by frame instead: everything up to a token budget per frame, sized so that any backlog
 * drains within `framesToDrain` frames (a quarter of a second at 60 fps). Order is kept: events
 * after a token wait for it. A reply that arrives at reading speed is never held back.
 */
export const FRAMES_TO_DRAIN = 15;

/** How many token deltas to apply this frame for a backlog of `queuedTokens`. */
export function tokenBudget(queuedTokens: number, framesToDrain: number = FRAMES_TO_DRAIN): number {
  return Math.max(1, Math.ceil(queuedTokens / framesToDrain));
}

/**
 * How many items from the head of `queue` to apply in this frame: every item up to the token that
 * would exceed `budget`.
 */
export function takeFrame<T>(queue: readonly T[], isToken: (item: T) => boolean, budget: number): number {
  let tokens = 0;
  for (let i = 0; i < queue.length; i++) {
    if (!isToken(queue[i] as T)) continue;
    if (tokens === budget) return i;
    tokens++;
  }
  return queue.length;
}
