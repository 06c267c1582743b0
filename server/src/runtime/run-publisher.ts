import { type EventBus, type EventPort, type Fence, type RunEvent, type RunEventBody, isEphemeral } from '@revo/actors';

type Listener = (event: RunEvent) => void;

/**
 * The machines' event port in a server: stamps each event with the clock and its run's sequence
 * number (token deltas reuse the last one, they are not stored), tells in-process listeners at
 * once, and hands the event to the bus. Bus writes keep publish order; a failed write is reported,
 * never thrown into a machine.
 */
export function createRunPublisher(
  bus: EventBus,
  options: {
    now?: () => number;
    onError?: (error: unknown, event: RunEvent) => void;
    /** The fencing token to write a run's events with (replicas sharing a bus). */
    fence?: (runId: string) => Fence | undefined;
  } = {},
) {
  const now = options.now ?? Date.now;
  const seqs = new Map<string, number>();
  const listeners = new Set<Listener>();
  let pending = 0;
  let drained: (() => void) | undefined;
  const settle = () => {
    pending -= 1;
    if (pending === 0) drained?.();
  };
  const publisher: EventPort & {
    seqOf(runId: string): number;
    restoreSeq(runId: string, seq: number): void;
    forget(runId: string): void;
    listen(listener: Listener): () => void;
    flush(): Promise<void>;
  } = {
    publish(body: RunEventBody) {
      const last = seqs.get(body.runId) ?? 0;
      const seq = isEphemeral(body) ? last : last + 1;
      seqs.set(body.runId, seq);
      const event = { ...body, at: now(), seq } as RunEvent;
      for (const listener of listeners) listener(event);
      pending += 1;
      bus.publish(event, options.fence?.(event.runId)).then(settle, (error: unknown) => {
        settle();
        options.onError?.(error, event);
      });
      return event;
    },
    seqOf: (runId) => seqs.get(runId) ?? 0,
    restoreSeq(runId, seq) {
      if (seq > (seqs.get(runId) ?? 0)) seqs.set(runId, seq);
    },
    forget(runId) {
      seqs.delete(runId);
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Resolves when every event handed to the bus so far has been written. */
    flush() {
      if (pending === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const previous = drained;
        drained = () => {
          previous?.();
          drained = undefined;
          resolve();
        };
      });
    },
  };
  return publisher;
}

export type RunPublisher = ReturnType<typeof createRunPublisher>;
