import type { AnyActorRef, AnyStateMachine, InspectionEvent, Snapshot } from 'xstate';

/** One recorded snapshot of an actor, kept by reference (XState snapshots are immutable). */
export interface RecordedSnapshot {
  index: number;
  at: number;
  /** The event that produced it. */
  eventType: string;
  snapshot: Snapshot<unknown> & { value?: unknown; context?: unknown };
}

/** One event an actor received. */
export interface RecordedEvent {
  at: number;
  type: string;
  event: unknown;
  sourceId: string | undefined;
}

/** A machine actor as the inspector sees it. */
export interface InspectedActor {
  id: string;
  name: string;
  kind: string;
  parentId: string | undefined;
  rootId: string;
  runId: string | undefined;
  startedAt: number;
  updatedAt: number;
  ref: AnyActorRef;
  snapshots: RecordedSnapshot[];
  events: RecordedEvent[];
  /** Snapshots recorded over the actor's life; older ones than `snapshots` were dropped. */
  snapshotCount: number;
}

export type InspectorUpdate =
  | { type: 'snapshot'; actor: InspectedActor; recorded: RecordedSnapshot }
  | { type: 'event'; actor: InspectedActor; recorded: RecordedEvent };

const definitions = new WeakMap<object, unknown>();

/** The JSON-safe definition of a machine (states, transitions, invokes), computed once per machine. */
export function machineDefinition(machine: AnyStateMachine): unknown {
  let definition = definitions.get(machine);
  if (!definition) {
    definition = JSON.parse(JSON.stringify(machine.definition));
    definitions.set(machine, definition);
  }
  return definition;
}

/** An actor's status; undefined while it is being created (reading it then throws or gives nothing). */
function statusOf(ref: AnyActorRef): string | undefined {
  try {
    return (ref.getSnapshot() as { status?: string } | undefined)?.status;
  } catch {
    return undefined;
  }
}

const logicOf = (ref: AnyActorRef) => (ref as unknown as { logic?: Partial<AnyStateMachine> }).logic;

const isMachine = (ref: AnyActorRef): boolean =>
  typeof logicOf(ref)?.definition === 'object' && typeof logicOf(ref)?.id === 'string';

/**
 * Keeps every live machine actor of the process from XState's inspection stream, with a bounded
 * history of snapshots and received events each, and tells listeners of changes. Actors that have
 * stopped stay visible for a while (`keepFinished`), then are forgotten.
 */
export function createInspector(options: { keepSnapshots?: number; keepEvents?: number; keepFinished?: number } = {}) {
  const keepSnapshots = options.keepSnapshots ?? 50;
  const keepEvents = options.keepEvents ?? 100;
  const keepFinished = options.keepFinished ?? 300;
  const live = new Map<string, InspectedActor>();
  const finished = new Map<string, InspectedActor>();
  const listeners = new Map<string, Set<(update: InspectorUpdate) => void>>();
  let registrations = 0;

  const notify = (id: string, update: InspectorUpdate) => {
    const set = listeners.get(id);
    if (set) for (const listener of set) listener(update);
  };
  const retire = (actor: InspectedActor) => {
    live.delete(actor.id);
    finished.set(actor.id, actor);
    if (finished.size > keepFinished) finished.delete(finished.keys().next().value as string);
  };
  const sweep = () => {
    for (const actor of live.values()) {
      // An actor is announced from its constructor, before it has a snapshot.
      const status = statusOf(actor.ref);
      if (status !== undefined && status !== 'active') retire(actor);
    }
  };

  const inspect = (event: InspectionEvent) => {
    const ref = event.actorRef as AnyActorRef;
    switch (event.type) {
      case '@xstate.actor': {
        if (!isMachine(ref)) return;
        const now = Date.now();
        live.set(ref.sessionId, {
          id: ref.sessionId,
          name: ref.id,
          kind: logicOf(ref)?.id ?? 'unknown',
          parentId: (ref as { _parent?: AnyActorRef })._parent?.sessionId,
          rootId: event.rootId,
          // Known from the first snapshot: the actor has none while it is being created.
          runId: undefined,
          startedAt: now,
          updatedAt: now,
          ref,
          snapshots: [],
          events: [],
          snapshotCount: 0,
        });
        registrations += 1;
        if (registrations % 200 === 0) sweep();
        return;
      }
      case '@xstate.snapshot': {
        const actor = live.get(ref.sessionId);
        if (!actor) return;
        const snapshot = event.snapshot as RecordedSnapshot['snapshot'];
        if (actor.snapshotCount === 0) {
          const context = snapshot.context as { runId?: string; conversationId?: string } | undefined;
          actor.runId = context?.runId ?? context?.conversationId;
        }
        const recorded: RecordedSnapshot = {
          index: actor.snapshotCount,
          at: Date.now(),
          eventType: event.event.type,
          snapshot,
        };
        actor.snapshotCount += 1;
        actor.updatedAt = recorded.at;
        actor.snapshots.push(recorded);
        if (actor.snapshots.length > keepSnapshots) actor.snapshots.shift();
        notify(actor.id, { type: 'snapshot', actor, recorded });
        if (snapshot.status !== 'active') retire(actor);
        return;
      }
      case '@xstate.event': {
        const actor = live.get(ref.sessionId);
        if (!actor) return;
        const recorded: RecordedEvent = {
          at: Date.now(),
          type: event.event.type,
          event: event.event,
          sourceId: event.sourceRef?.sessionId,
        };
        actor.events.push(recorded);
        if (actor.events.length > keepEvents) actor.events.shift();
        notify(actor.id, { type: 'event', actor, recorded });
        return;
      }
      case '@xstate.transition':
      case '@xstate.microstep':
      case '@xstate.action':
        return;
    }
  };

  return {
    inspect,
    /** Live machine actors, oldest first; `includeFinished` adds recently stopped ones. */
    actors(filter: { kind?: string; runId?: string; includeFinished?: boolean } = {}): InspectedActor[] {
      sweep();
      const all = filter.includeFinished ? [...finished.values(), ...live.values()] : [...live.values()];
      return all.filter((a) => (!filter.kind || a.kind === filter.kind) && (!filter.runId || a.runId === filter.runId));
    },
    actor: (id: string): InspectedActor | undefined => live.get(id) ?? finished.get(id),
    listen(id: string, listener: (update: InspectorUpdate) => void): () => void {
      let set = listeners.get(id);
      if (!set) {
        set = new Set();
        listeners.set(id, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(id);
      };
    },
  };
}

export type Inspector = ReturnType<typeof createInspector>;
