import type { RunEvent, RunEventBody } from '../domain/run-event';
import type { EventPort } from '../ports/event-port';

/** Stamps and collects events in memory, with listeners; the default in-process event port. */
export function createMemoryEventPort(now: () => number = Date.now): EventPort & {
  readonly events: RunEvent[];
  subscribe(listener: (event: RunEvent) => void): () => void;
} {
  const seqByRun = new Map<string, number>();
  const listeners = new Set<(event: RunEvent) => void>();
  const events: RunEvent[] = [];
  return {
    events,
    publish(body: RunEventBody) {
      const seq = (seqByRun.get(body.runId) ?? 0) + 1;
      seqByRun.set(body.runId, seq);
      const event = { ...body, at: now(), seq } as RunEvent;
      events.push(event);
      for (const listener of listeners) listener(event);
      return event;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
