import { describe, expect, it } from 'vitest';
import { GraphQLRequestError, type Sink } from '@/lib/graphql/client';
import type { ActorUpdate } from '@/lib/graphql/schema-types';
import { followActor } from './follow-actor';
import { emptyFeed, type InspectorFeed, inspectorFeedReducer, snapshotsOf } from './inspector-feed';

const at = (ms: number) => new Date(1_800_000_000_000 + ms).toISOString();
const snapshot = (index: number, eventType = 'step.done'): ActorUpdate => ({
  actorId: 'x:0',
  kind: 'SNAPSHOT',
  index,
  at: at(index * 10),
  eventType,
  status: 'active',
  value: `state-${index}`,
  context: { n: index },
  event: null,
});
const upTo = (last: number) => Array.from({ length: last + 1 }, (_, i) => snapshot(i));

/** A client whose history reads and live feed the test answers by hand, in any order. */
function fakeClient() {
  const reads: { resolve: (updates: ActorUpdate[]) => void; reject: (error: unknown) => void; signal?: AbortSignal }[] =
    [];
  let sink: Sink<{ inspectorEvents: ActorUpdate }> | undefined;
  let unsubscribed = false;
  const client = {
    request: (_operation: unknown, _variables: unknown, options?: { signal?: AbortSignal }) =>
      new Promise<never>((resolve, reject) => {
        reads.push({
          resolve: (updates) => resolve({ actorHistory: updates } as never),
          reject,
          ...(options?.signal ? { signal: options.signal } : {}),
        });
      }),
    subscribe: (_operation: unknown, _variables: unknown, given: Sink<unknown>) => {
      sink = given as typeof sink;
      return () => {
        unsubscribed = true;
      };
    },
  };
  return {
    client: client as unknown as Parameters<typeof followActor>[0],
    reads,
    live: (update: ActorUpdate) => sink?.next({ inspectorEvents: update }),
    fail: (error: GraphQLRequestError) => sink?.error?.(error),
    get unsubscribed() {
      return unsubscribed;
    },
  };
}

/** Follows through the real reducer, as the hook does. */
function follow(fake: ReturnType<typeof fakeClient>) {
  const seen = {
    feed: emptyFeed as InspectorFeed,
    feedError: undefined as GraphQLRequestError | undefined,
    historyError: undefined as GraphQLRequestError | undefined,
  };
  const stop = followActor(fake.client, 'x:0', {
    update: (update) => {
      seen.feed = inspectorFeedReducer(seen.feed, { type: 'update', update });
    },
    history: (updates) => {
      seen.feed = inspectorFeedReducer(seen.feed, { type: 'history', updates });
    },
    ended: () => {
      seen.feed = inspectorFeedReducer(seen.feed, { type: 'ended' });
    },
    feedError: (error) => {
      seen.feedError = error;
    },
    historyError: (error) => {
      seen.historyError = error;
    },
  });
  return { seen, stop };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const indexes = (feed: InspectorFeed) => snapshotsOf(feed).map((s) => s.index);

describe('followActor', () => {
  it('has no gap when the history is read before the live feed starts', async () => {
    const fake = fakeClient();
    const { seen } = follow(fake);
    expect(fake.reads).toHaveLength(1);
    // The history is read while the actor is at snapshot 1 ...
    fake.reads[0]?.resolve(upTo(1));
    await settle();
    // ... and the live feed starts once it is at 4: 2 and 3 happened in between.
    fake.live({ ...snapshot(4), eventType: 'xstate.current' });
    expect(fake.reads).toHaveLength(2);
    fake.reads[1]?.resolve(upTo(4));
    await settle();
    fake.live(snapshot(5));
    expect(indexes(seen.feed)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(seen.feed.current?.index).toBe(5);
  });

  it('reads the history again after the live feed restarts (a reconnect), filling what the outage missed', async () => {
    const fake = fakeClient();
    const { seen } = follow(fake);
    fake.live({ ...snapshot(2), eventType: 'xstate.current' });
    for (const read of fake.reads.splice(0)) read.resolve(upTo(2));
    await settle();
    // The socket drops; the actor moves on to 6; the subscription is sent again.
    fake.live({ ...snapshot(6), eventType: 'xstate.current' });
    expect(fake.reads).toHaveLength(1);
    fake.reads[0]?.resolve(upTo(6));
    await settle();
    expect(indexes(seen.feed)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Ordinary live updates do not ask again.
    fake.live(snapshot(7));
    expect(fake.reads).toHaveLength(1);
  });

  it('says when the history cannot be read, and stops saying it once a later read succeeds', async () => {
    const fake = fakeClient();
    const { seen } = follow(fake);
    // As the client rejects when fetch cannot reach the server.
    fake.reads[0]?.reject(new GraphQLRequestError('Cannot reach the reVo server.', 'NETWORK'));
    await settle();
    expect(seen.historyError?.code).toBe('NETWORK');
    fake.live({ ...snapshot(3), eventType: 'xstate.current' });
    fake.reads[1]?.resolve(upTo(3));
    await settle();
    expect(seen.historyError).toBeUndefined();
    expect(indexes(seen.feed)).toEqual([0, 1, 2, 3]);
    // The live feed's own failure is told apart.
    fake.fail(new GraphQLRequestError('there is no actor "x:0"', 'NOT_FOUND'));
    expect(seen.feedError?.code).toBe('NOT_FOUND');
  });

  it('lets nothing through after the stop: a late history is dropped and its read aborted', async () => {
    const fake = fakeClient();
    const { seen, stop } = follow(fake);
    fake.live({ ...snapshot(1), eventType: 'xstate.current' });
    stop();
    expect(fake.unsubscribed).toBe(true);
    expect(fake.reads.every((read) => read.signal?.aborted)).toBe(true);
    for (const read of fake.reads) read.resolve(upTo(9));
    fake.live(snapshot(2));
    await settle();
    expect(indexes(seen.feed)).toEqual([1]);
  });
});
