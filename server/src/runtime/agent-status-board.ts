import { ALL_RUNS, type AgentStatus, type EventBus, type RunEvent } from '@revo/actors';
import type { RunPublisher } from './run-publisher';

/** The events that change an agent's status; the board passes over the rest. */
export const STATUS_EVENTS: ReadonlySet<string> = new Set(['agent.attempt.started', 'agent.completed', 'agent.failed']);

/**
 * Every agent's live status from the run events: working while it has calls in flight, with
 * counts of calls and failures. Tells listeners of each change.
 */
export function createAgentStatusBoard(now: () => number = Date.now) {
  const board = new Map<string, AgentStatus>();
  const inFlight = new Map<string, Set<string>>();
  const listeners = new Set<(status: AgentStatus) => void>();
  const statusOf = (agent: string): AgentStatus =>
    board.get(agent) ?? { agent, state: 'idle', active: 0, calls: 0, failures: 0, updatedAt: 0 };
  const update = (agent: string, change: (s: AgentStatus) => AgentStatus) => {
    const next = change(statusOf(agent));
    const active = inFlight.get(agent)?.size ?? 0;
    const status: AgentStatus = { ...next, active, state: active > 0 ? 'working' : 'idle', updatedAt: now() };
    board.set(agent, status);
    for (const listener of listeners) listener(status);
  };
  const track = (agent: string, key: string, on: boolean) => {
    let set = inFlight.get(agent);
    if (!set) {
      set = new Set();
      inFlight.set(agent, set);
    }
    if (on) set.add(key);
    else set.delete(key);
  };
  return {
    apply(event: RunEvent) {
      switch (event.type) {
        case 'agent.attempt.started':
          track(event.agent, `${event.runId}/${event.stepId}`, true);
          update(event.agent, (s) => ({ ...s, lastModel: event.model, lastRunId: event.runId }));
          return;
        case 'agent.completed':
          track(event.agent, `${event.runId}/${event.stepId}`, false);
          update(event.agent, (s) => ({ ...s, calls: s.calls + 1, lastModel: event.usage.model }));
          return;
        case 'agent.failed':
          track(event.agent, `${event.runId}/${event.stepId}`, false);
          update(event.agent, (s) => ({ ...s, failures: s.failures + 1 }));
          return;
        default:
          return;
      }
    },
    all: (agents: string[]): AgentStatus[] => agents.map(statusOf),
    listen(listener: (status: AgentStatus) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Feeds a board: this replica's own events as it publishes them (none lost should the bus falter),
 * other replicas' from the bus's all-runs channel. The bus brings this replica's events back too;
 * those applied here are remembered until their echo passes (a bounded set, for echoes that never
 * come while the bus is down).
 */
export function feedAgentStatus(
  board: Pick<ReturnType<typeof createAgentStatusBoard>, 'apply'>,
  publisher: Pick<RunPublisher, 'listen'>,
  bus: Pick<EventBus, 'subscribe'>,
  log: (line: string) => void,
): { close(): Promise<void> } {
  const appliedHere = new Set<string>();
  const keyOf = (event: RunEvent) => `${event.runId}#${event.seq}`;
  const stopListening = publisher.listen((event) => {
    if (!STATUS_EVENTS.has(event.type)) return;
    board.apply(event);
    appliedHere.add(keyOf(event));
    if (appliedHere.size > 10_000) appliedHere.delete(appliedHere.values().next().value as string);
  });
  const subscribed = bus
    .subscribe(ALL_RUNS, (event) => {
      if (!STATUS_EVENTS.has(event.type) || appliedHere.delete(keyOf(event))) return;
      board.apply(event);
    })
    .catch((error: unknown) => {
      log(`agent status sees this replica's runs only: subscribing to the bus failed: ${String(error)}`);
      return undefined;
    });
  return {
    async close() {
      stopListening();
      await (await subscribed)?.();
    },
  };
}
