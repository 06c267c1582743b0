import { fromCallback } from 'xstate';

/** The event a deadline sends its parent. */
export type DeadlineReached = { type: 'deadline.reached' };

/** Longest delay one timer can hold (setTimeout overflows past 2^31 - 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Sends `deadline.reached` at an absolute time (`at`, epoch ms). Unlike `after`, it survives a
 * restore: XState restarts invoked actors from their persisted input, and pending `after` timers
 * are not persisted at all (statelyai/xstate#5331), so a restored run would wait forever.
 */
export const deadline = fromCallback<DeadlineReached, { at: number }>(({ input, sendBack }) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    const left = input.at - Date.now();
    if (left <= 0) return sendBack({ type: 'deadline.reached' });
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  arm();
  return () => clearTimeout(timer);
});
