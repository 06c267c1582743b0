'use client';

import { useEffect, useReducer, useState } from 'react';
import { type GraphQLRequestError, toRequestError } from '@/lib/graphql/client';
import { useRevoClient } from '@/lib/graphql/revo-provider';
import { emptyFeed, type InspectorFeed, inspectorFeedReducer } from './inspector-feed';
import { ActorHistoryQuery, InspectorEventsSubscription } from './operations';

/**
 * One actor, live: its recorded snapshots and events (`actorHistory`), then everything it does
 * (`inspectorEvents`), merged by `inspector-feed.ts`.
 */
export function useInspectorFeed(actorId: string): InspectorFeed & { error: GraphQLRequestError | undefined } {
  const client = useRevoClient();
  const [feed, dispatch] = useReducer(inspectorFeedReducer, emptyFeed);
  const [error, setError] = useState<GraphQLRequestError>();

  useEffect(() => {
    if (!client) return;
    dispatch({ type: 'reset' });
    setError(undefined);
    // Unsubscribing completes the feed too: only this subscription's own ending counts.
    let current = true;
    const stop = client.subscribe(
      InspectorEventsSubscription,
      { actorId },
      {
        next: (data) => current && dispatch({ type: 'update', update: data.inspectorEvents }),
        error: (failure) => current && setError(failure),
        complete: () => current && dispatch({ type: 'ended' }),
      },
    );
    const controller = new AbortController();
    client.request(ActorHistoryQuery, { id: actorId, last: 200 }, { signal: controller.signal }).then(
      (data) => dispatch({ type: 'history', updates: data.actorHistory }),
      (failure: unknown) => {
        if (!controller.signal.aborted) setError(toRequestError(failure));
      },
    );
    return () => {
      current = false;
      controller.abort();
      stop();
    };
  }, [client, actorId]);

  return { ...feed, error };
}
