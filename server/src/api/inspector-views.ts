import type { ActorUpdate, ActorView } from '@revo/schema';
import type { AnyStateMachine } from 'xstate';
import {
  type InspectedActor,
  type RecordedEvent,
  type RecordedSnapshot,
  machineDefinition,
} from '../runtime/inspector';

/** JSON-safe copy of a value from an actor (drops functions and actor refs, breaks no cycles in practice). */
export const jsonSafe = (value: unknown): unknown =>
  value === undefined ? null : JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'function' ? undefined : v)));

/** The inspector's view of an actor. */
export function actorView(actor: InspectedActor): ActorView {
  const snapshot = actor.ref.getSnapshot() as { status?: string; value?: unknown; context?: unknown };
  return {
    id: actor.id,
    name: actor.name,
    kind: actor.kind,
    parentId: actor.parentId,
    runId: actor.runId,
    status: snapshot.status ?? 'unknown',
    value: jsonSafe(snapshot.value),
    context: jsonSafe(snapshot.context),
    definition: machineDefinition((actor.ref as unknown as { logic: AnyStateMachine }).logic),
    startedAt: actor.startedAt,
    updatedAt: actor.updatedAt,
    snapshotCount: actor.snapshotCount,
  };
}

export function snapshotUpdate(actorId: string, recorded: RecordedSnapshot): ActorUpdate {
  return {
    actorId,
    kind: 'snapshot',
    index: recorded.index,
    at: recorded.at,
    eventType: recorded.eventType,
    event: null,
    status: recorded.snapshot.status,
    value: jsonSafe(recorded.snapshot.value),
    context: jsonSafe(recorded.snapshot.context),
  };
}

export function eventUpdate(actorId: string, recorded: RecordedEvent): ActorUpdate {
  return {
    actorId,
    kind: 'event',
    index: undefined,
    at: recorded.at,
    eventType: recorded.type,
    event: jsonSafe(recorded.event),
    status: undefined,
    value: null,
    context: null,
  };
}

/** The recorded snapshots and events of an actor, in time order. */
export function actorUpdates(actor: InspectedActor): ActorUpdate[] {
  return [
    ...actor.snapshots.map((s) => snapshotUpdate(actor.id, s)),
    ...actor.events.map((e) => eventUpdate(actor.id, e)),
  ].sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'event' ? -1 : 1));
}
