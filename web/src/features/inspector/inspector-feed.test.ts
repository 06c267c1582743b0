import { describe, expect, it } from 'vitest';
import type { ActorUpdate } from '@/lib/graphql/schema-types';
import { KEEP, emptyFeed, inspectorFeedReducer, snapshotsOf } from './inspector-feed';

const at = (ms: number) => new Date(1_800_000_000_000 + ms).toISOString();
const snapshot = (index: number, value: unknown, ms: number, eventType = 'step.done'): ActorUpdate => ({
  actorId: 'x:0',
  kind: 'SNAPSHOT',
  index,
  at: at(ms),
  eventType,
  status: 'active',
  value,
  context: { n: index },
  event: null,
});
const event = (type: string, ms: number): ActorUpdate => ({
  actorId: 'x:0',
  kind: 'EVENT',
  index: null,
  at: at(ms),
  eventType: type,
  status: null,
  value: null,
  context: null,
  event: { type },
});

describe('inspectorFeedReducer', () => {
  it('merges history and live updates in time order, the current snapshot last', () => {
    let feed = inspectorFeedReducer(emptyFeed, {
      type: 'update',
      update: snapshot(2, 'awaitingHuman', 30, 'xstate.current'),
    });
    expect(feed.current?.value).toBe('awaitingHuman');
    feed = inspectorFeedReducer(feed, {
      type: 'history',
      updates: [
        snapshot(0, 'planning', 0),
        event('conflict.detected', 15),
        snapshot(1, 'running', 10),
        snapshot(2, 'awaitingHuman', 30),
      ],
    });
    expect(feed.updates.map((u) => u.eventType)).toEqual(['step.done', 'step.done', 'conflict.detected', 'step.done']);
    // The recorded snapshot replaced the subscription's copy of it (which names no event).
    expect(feed.updates.filter((u) => u.index === 2)).toHaveLength(1);
    expect(feed.current).toMatchObject({ index: 2, value: 'awaitingHuman', eventType: 'step.done' });
  });

  it('moves the current snapshot on as live snapshots arrive, and notes the end', () => {
    let feed = inspectorFeedReducer(emptyFeed, { type: 'history', updates: [snapshot(0, 'awaitingHuman', 0)] });
    feed = inspectorFeedReducer(feed, { type: 'update', update: event('conflict.decide', 5) });
    feed = inspectorFeedReducer(feed, { type: 'update', update: snapshot(1, 'reconciling', 6) });
    feed = inspectorFeedReducer(feed, { type: 'update', update: snapshot(2, 'completed', 7) });
    feed = inspectorFeedReducer(feed, { type: 'ended' });
    expect(feed.current?.value).toBe('completed');
    expect(feed.ended).toBe(true);
    expect(snapshotsOf(feed).map((s) => s.value)).toEqual(['awaitingHuman', 'reconciling', 'completed']);
  });

  it('ignores an update it already has', () => {
    const once = inspectorFeedReducer(emptyFeed, { type: 'update', update: event('model.token', 1) });
    const twice = inspectorFeedReducer(once, { type: 'update', update: event('model.token', 1) });
    expect(twice.updates).toHaveLength(1);
  });

  it(`keeps the last ${KEEP} updates`, () => {
    const many = Array.from({ length: KEEP + 20 }, (_, i) => event(`e${i}`, i));
    const feed = inspectorFeedReducer(emptyFeed, { type: 'history', updates: many });
    expect(feed.updates).toHaveLength(KEEP);
    expect(feed.updates[0]?.eventType).toBe('e20');
  });

  it('starts over on reset', () => {
    const feed = inspectorFeedReducer(emptyFeed, { type: 'update', update: snapshot(0, 'a', 0) });
    expect(inspectorFeedReducer(feed, { type: 'reset' })).toEqual(emptyFeed);
  });
});
