'use client';

import { useEffect, useReducer, useState } from 'react';
import type { GraphQLRequestError } from '@/lib/graphql/client';
import { useRevoClient } from '@/lib/graphql/revo-provider';
import { followActor } from './follow-actor';
import { emptyFeed, type InspectorFeed, inspectorFeedReducer } from './inspector-feed';

/**
 * One actor, live: its recorded snapshots and events and everything it does next (`follow-actor.ts`),
 * merged by `inspector-feed.ts`. `error` is the live feed's failure, else the history's.
 */
export function useInspectorFeed(actorId: string): InspectorFeed & { error: GraphQLRequestError | undefined } {
  const client = useRevoClient();
  const [feed, dispatch] = useReducer(inspectorFeedReducer, emptyFeed);
  const [feedError, setFeedError] = useState<GraphQLRequestError>();
  const [historyError, setHistoryError] = useState<GraphQLRequestError>();

  useEffect(() => {
    if (!client) return;
    dispatch({ type: 'reset' });
    setFeedError(undefined);
    setHistoryError(undefined);
    return followActor(client, actorId, {
      update: (update) => dispatch({ type: 'update', update }),
      history: (updates) => dispatch({ type: 'history', updates }),
      ended: () => dispatch({ type: 'ended' }),
      feedError: setFeedError,
      historyError: setHistoryError,
    });
  }, [client, actorId]);

  return { ...feed, error: feedError ?? historyError };
}
