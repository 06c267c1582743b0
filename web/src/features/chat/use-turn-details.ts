'use client';

import { useEffect, useState } from 'react';
import { WorkflowQuery } from '@/lib/graphql/operations';
import { useRevoClient } from '@/lib/graphql/revo-provider';
import { type Turn, isEnded, turnFromWorkflow } from './turn-state';

// Ended runs never change: one fetch per run for the whole tab.
const ended = new Map<string, Promise<Turn | null>>();

/**
 * A turn's steps, answers, models and conflicts: the live one when this tab watched it run,
 * else fetched once with `workflow(runId)`.
 */
export function useTurnDetails(runId: string | null, live: Turn | undefined): Turn | null {
  const client = useRevoClient();
  const [fetched, setFetched] = useState<{ runId: string; turn: Turn | null } | null>(null);
  const needed = runId !== null && live === undefined;

  useEffect(() => {
    if (!client || !runId || !needed) return;
    let cancelled = false;
    let pending = ended.get(runId);
    if (!pending) {
      pending = client.request(WorkflowQuery, { runId }).then(
        ({ workflow }) => (workflow ? turnFromWorkflow(workflow) : null),
        () => null,
      );
      ended.set(runId, pending);
    }
    void pending.then((turn) => {
      if (!turn || !isEnded(turn.status)) ended.delete(runId);
      if (!cancelled) setFetched({ runId, turn });
    });
    return () => {
      cancelled = true;
    };
  }, [client, runId, needed]);

  if (live) return live;
  return fetched && fetched.runId === runId ? fetched.turn : null;
}
