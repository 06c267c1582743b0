'use client';

import { useCallback, useEffect, useState } from 'react';
import { type GraphQLRequestError, toRequestError } from '@/lib/graphql/client';
import { type ConversationSummary, ConversationsQuery } from '@/lib/graphql/operations';
import { useRevoClient } from '@/lib/graphql/revo-provider';
import { useQuery } from '@/lib/graphql/use-query';

const PAGE = 25;

export interface ConversationPages {
  items: ConversationSummary[];
  loading: boolean;
  error: GraphQLRequestError | undefined;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore(): void;
  refetch(): void;
}

/** The conversations, newest first, a page at a time (`conversations(first, after)` cursors). */
export function useConversationPages(): ConversationPages {
  const client = useRevoClient();
  const first = useQuery(ConversationsQuery, { first: PAGE });
  const [more, setMore] = useState<{ items: ConversationSummary[]; cursor: string | null; hasMore: boolean } | null>(
    null,
  );
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<GraphQLRequestError>();

  // A fresh first page (after a send, a reconnect) starts the extra pages over.
  useEffect(() => {
    if (first.data) setMore(null);
  }, [first.data]);

  const page = first.data?.conversations;
  const cursor = more ? more.cursor : (page?.pageInfo.endCursor ?? null);
  const hasMore = more ? more.hasMore : (page?.pageInfo.hasNextPage ?? false);

  const loadMore = useCallback(() => {
    if (!client || !cursor || loadingMore) return;
    setLoadingMore(true);
    client.request(ConversationsQuery, { first: PAGE, after: cursor }).then(
      ({ conversations }) => {
        setMore((m) => ({
          items: [...(m?.items ?? []), ...conversations.nodes],
          cursor: conversations.pageInfo.endCursor,
          hasMore: conversations.pageInfo.hasNextPage,
        }));
        setLoadingMore(false);
      },
      (error: unknown) => {
        setMoreError(toRequestError(error));
        setLoadingMore(false);
      },
    );
  }, [client, cursor, loadingMore]);

  const seen = new Set<string>();
  const items = [...(page?.nodes ?? []), ...(more?.items ?? [])].filter((c) => !seen.has(c.id) && seen.add(c.id));
  return {
    items,
    loading: first.loading,
    error: first.error ?? moreError,
    hasMore,
    loadingMore,
    loadMore,
    refetch: first.refetch,
  };
}
