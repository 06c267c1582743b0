'use client';

import { useCallback, useState } from 'react';
import { type GraphQLRequestError, toRequestError } from '@/lib/graphql/client';
import { useRevoClient } from '@/lib/graphql/revo-provider';
import type { WorkflowStatus } from '@/lib/graphql/schema-types';
import { useQuery } from '@/lib/graphql/use-query';
import { type WorkflowSummary, WorkflowsQuery } from './operations';

const PAGE = 15;

export interface WorkflowPages {
  items: WorkflowSummary[];
  loading: boolean;
  error: GraphQLRequestError | undefined;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore(): void;
  refetch(): void;
}

interface More {
  /** The first page these follow: a new first page starts the extra pages over. */
  after: unknown;
  items: WorkflowSummary[];
  cursor: string | null;
  hasMore: boolean;
}

/** The runs, newest first, with one status or all, a page at a time (`workflows(first, after, status)`). */
export function useWorkflowPages(status: WorkflowStatus | null): WorkflowPages {
  const client = useRevoClient();
  const first = useQuery(WorkflowsQuery, { first: PAGE, status });
  const [more, setMore] = useState<More | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<GraphQLRequestError>();

  const page = first.data?.workflows;
  const extra = more && more.after === page ? more : null;
  const cursor = extra ? extra.cursor : (page?.pageInfo.endCursor ?? null);
  const hasMore = extra ? extra.hasMore : (page?.pageInfo.hasNextPage ?? false);

  const loadMore = useCallback(() => {
    if (!client || !cursor || loadingMore) return;
    setLoadingMore(true);
    setMoreError(undefined);
    client.request(WorkflowsQuery, { first: PAGE, after: cursor, status }).then(
      ({ workflows }) => {
        setMore({
          after: page,
          items: [...(extra?.items ?? []), ...workflows.nodes],
          cursor: workflows.pageInfo.endCursor,
          hasMore: workflows.pageInfo.hasNextPage,
        });
        setLoadingMore(false);
      },
      (error: unknown) => {
        setMoreError(toRequestError(error));
        setLoadingMore(false);
      },
    );
  }, [client, cursor, loadingMore, status, page, extra]);

  const seen = new Set<string>();
  const items = [...(page?.nodes ?? []), ...(extra?.items ?? [])].filter(
    (w) => !seen.has(w.runId) && seen.add(w.runId),
  );
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
