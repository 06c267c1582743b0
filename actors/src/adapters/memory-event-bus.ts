import type { RunEvent } from '../domain/run-event';
import { type EventBus, channelsOf, isEphemeral } from '../ports/event-bus';

type Listener = (event: RunEvent) => void;

/**
 * The default event bus: one process, synchronous delivery. Keeps each run's durable events so a
 * late subscriber can catch up; `forget(runId)` drops a finished run's log.
 */
export function createMemoryEventBus(
  options: { onListenerError?: (error: unknown, event: RunEvent) => void } = {},
): EventBus & { forget(runId: string): void } {
  const logs = new Map<string, RunEvent[]>();
  const listeners = new Map<string, Set<Listener>>();
  return {
    async publish(event) {
      if (!isEphemeral(event)) {
        let log = logs.get(event.runId);
        if (!log) {
          log = [];
          logs.set(event.runId, log);
        }
        log.push(event);
      }
      for (const channel of channelsOf(event.runId)) {
        const set = listeners.get(channel);
        if (!set) continue;
        for (const listener of set) {
          // One failing subscriber must not cost the others their events.
          try {
            listener(event);
          } catch (error) {
            options.onListenerError?.(error, event);
          }
        }
      }
    },
    async history(runId, afterSeq = 0) {
      return (logs.get(runId) ?? []).filter((e) => e.seq > afterSeq);
    },
    async subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
      }
      const wrapped: Listener = (event) => listener(event);
      set.add(wrapped);
      return async () => {
        set.delete(wrapped);
        if (set.size === 0 && listeners.get(channel) === set) listeners.delete(channel);
      };
    },
    async truncate(runId, afterSeq) {
      const log = logs.get(runId);
      if (log)
        logs.set(
          runId,
          log.filter((e) => e.seq <= afterSeq),
        );
    },
    forget(runId) {
      logs.delete(runId);
    },
    async close() {
      listeners.clear();
    },
  };
}
