/**
 * An actor's timeline in the inspector: its recorded history (`actorHistory`) and its live feed
 * (`inspectorEvents`, which starts with the current snapshot) merged in time order, without
 * duplicates whichever arrives first. A pure reducer.
 */
import type { ActorUpdate } from '@/lib/graphql/schema-types';

export interface ActorSnapshot {
  index: number | null;
  at: string;
  eventType: string;
  status: string | null;
  value: unknown;
  context: unknown;
}

export interface InspectorFeed {
  updates: ActorUpdate[];
  /** The newest snapshot: what the actor is now. */
  current: ActorSnapshot | null;
  /** The live feed ended: the actor stopped. */
  ended: boolean;
}

export type InspectorFeedAction =
  | { type: 'reset' }
  | { type: 'history'; updates: readonly ActorUpdate[] }
  | { type: 'update'; update: ActorUpdate }
  | { type: 'ended' };

/** Keep the timeline bounded: an agent receives an event per streamed token. */
export const KEEP = 500;

export const emptyFeed: InspectorFeed = { updates: [], current: null, ended: false };

const keyOf = (u: ActorUpdate) =>
  u.kind === 'SNAPSHOT' && u.index !== null ? `s:${u.index}` : `e:${u.at}:${u.eventType}:${JSON.stringify(u.event)}`;
const time = (u: ActorUpdate) => Date.parse(u.at) || 0;

/** The snapshot the subscription opens with says `xstate.current`; a recorded one names its event. */
const better = (a: ActorUpdate, b: ActorUpdate) => (a.eventType === 'xstate.current' ? b : a);

function merge(existing: readonly ActorUpdate[], incoming: readonly ActorUpdate[]): ActorUpdate[] {
  const byKey = new Map(existing.map((u) => [keyOf(u), u]));
  for (const u of incoming) {
    const key = keyOf(u);
    const known = byKey.get(key);
    byKey.set(key, known ? better(known, u) : u);
  }
  const all = [...byKey.values()].sort(
    (a, b) => time(a) - time(b) || (a.kind === b.kind ? (a.index ?? 0) - (b.index ?? 0) : a.kind === 'EVENT' ? -1 : 1),
  );
  return all.slice(-KEEP);
}

function latest(updates: readonly ActorUpdate[]): ActorSnapshot | null {
  let best: ActorUpdate | null = null;
  for (const u of updates) {
    if (u.kind !== 'SNAPSHOT' || u.value === null || u.value === undefined) continue;
    if (!best || (u.index ?? -1) >= (best.index ?? -1)) best = u;
  }
  return best ? snapshotOf(best) : null;
}

export const snapshotOf = (u: ActorUpdate): ActorSnapshot => ({
  index: u.index,
  at: u.at,
  eventType: u.eventType,
  status: u.status,
  value: u.value,
  context: u.context,
});

export function inspectorFeedReducer(state: InspectorFeed, action: InspectorFeedAction): InspectorFeed {
  switch (action.type) {
    case 'reset':
      return emptyFeed;
    case 'history': {
      const updates = merge(state.updates, action.updates);
      return { ...state, updates, current: latest(updates) };
    }
    case 'update': {
      const updates = merge(state.updates, [action.update]);
      return { ...state, updates, current: latest(updates) };
    }
    case 'ended':
      return { ...state, ended: true };
  }
}

/** The snapshots to step through, oldest first. */
export const snapshotsOf = (feed: InspectorFeed): ActorSnapshot[] =>
  feed.updates.filter((u) => u.kind === 'SNAPSHOT' && u.value !== null && u.value !== undefined).map(snapshotOf);
