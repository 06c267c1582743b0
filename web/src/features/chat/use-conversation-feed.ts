'use client';

import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { GraphQLRequestError } from '@/lib/graphql/client';
import { type ConversationFeed, ConversationEventsSubscription } from '@/lib/graphql/operations';
import { useRevoClient } from '@/lib/graphql/revo-provider';
import { type FeedState, emptyFeed, feedReducer } from './conversation-feed';
import { takeFrame, tokenBudget } from './event-pacer';

const isToken = (item: ConversationFeed) => item.event?.type === 'agent.token';

export interface ConversationFeedHandle {
  state: FeedState;
  error: GraphQLRequestError | undefined;
  /** Resolves once the feed of `conversationId` has its snapshot (or after `timeoutMs`). */
  whenReady(conversationId: string, timeoutMs?: number): Promise<void>;
}

/**
 * Subscribes to `conversationEvents` of the open conversation and folds the items into its state,
 * frame by frame (see `event-pacer.ts`) so that streamed tokens read as typing.
 */
export function useConversationFeed(conversationId: string | null): ConversationFeedHandle {
  const client = useRevoClient();
  const [state, dispatch] = useReducer(feedReducer, conversationId, emptyFeed);
  const [error, setError] = useState<GraphQLRequestError>();
  const ready = useRef(new Map<string, (() => void)[]>());
  const readyIds = useRef(new Set<string>());

  useEffect(() => {
    dispatch({ type: 'reset', conversationId });
    setError(undefined);
    if (!client || !conversationId) return;
    const queue: ConversationFeed[] = [];
    let frame: number | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;

    const drain = () => {
      frame = null;
      timer = null;
      if (queue.length === 0) return;
      // A hidden tab gets no animation frames: apply everything at once.
      const count = document.hidden
        ? queue.length
        : takeFrame(queue, isToken, tokenBudget(queue.filter(isToken).length));
      dispatch({ type: 'items', items: queue.splice(0, count) });
      if (queue.length > 0) schedule();
    };
    const schedule = () => {
      if (frame !== null || timer !== null) return;
      if (document.hidden) timer = setTimeout(drain, 0);
      else frame = requestAnimationFrame(drain);
    };

    const stop = client.subscribe(
      ConversationEventsSubscription,
      { conversationId },
      {
        next: ({ conversationEvents: item }) => {
          queue.push(item);
          schedule();
          if (item.kind === 'SNAPSHOT') {
            setError(undefined);
            readyIds.current.add(conversationId);
            for (const resolve of ready.current.get(conversationId) ?? []) resolve();
            ready.current.delete(conversationId);
          }
        },
        error: setError,
      },
    );
    return () => {
      stop();
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer !== null) clearTimeout(timer);
      readyIds.current.delete(conversationId);
    };
  }, [client, conversationId]);

  const whenReady = useCallback((id: string, timeoutMs = 5_000) => {
    if (readyIds.current.has(id)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timeout = setTimeout(resolve, timeoutMs);
      const waiting = ready.current.get(id) ?? [];
      waiting.push(() => {
        clearTimeout(timeout);
        resolve();
      });
      ready.current.set(id, waiting);
    });
  }, []);

  return { state, error, whenReady };
}
