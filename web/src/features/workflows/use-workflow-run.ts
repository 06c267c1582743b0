'use client';

import { useEffect, useReducer } from 'react';
import { applyRunEvent } from '@/features/chat/turn-events';
import { type Turn, turnFromWorkflow } from '@/features/chat/turn-state';
import type { GraphQLRequestError } from '@/lib/graphql/client';
import { type WorkflowFeed, WorkflowEventsSubscription } from '@/lib/graphql/operations';
import { useRevoClient } from '@/lib/graphql/revo-provider';

export interface WorkflowRun {
  /** `null` until the first SNAPSHOT arrives. */
  turn: Turn | null;
  error: GraphQLRequestError | undefined;
  /** The server ended the feed: the run is over (or was never started). */
  done: boolean;
}

type Action =
  | { type: 'reset' }
  | { type: 'item'; item: WorkflowFeed }
  | { type: 'error'; error: GraphQLRequestError }
  | { type: 'done' };

/** SNAPSHOT replaces the run, EVENTs apply to it (the chat's run reducer, so both pages agree). */
export function workflowRunReducer(state: WorkflowRun, action: Action): WorkflowRun {
  switch (action.type) {
    case 'reset':
      // The run stays on screen until the new feed's SNAPSHOT replaces it.
      return { turn: state.turn, error: undefined, done: false };
    case 'item': {
      const { item } = action;
      if (item.kind === 'SNAPSHOT' && item.workflow) return { ...state, turn: turnFromWorkflow(item.workflow) };
      if (item.kind === 'EVENT' && item.event && state.turn) {
        return { ...state, turn: applyRunEvent(state.turn, item.event) };
      }
      return state;
    }
    case 'error':
      return { ...state, error: action.error };
    case 'done':
      return { ...state, done: true };
  }
}

/**
 * One run, live: the `workflowEvents` SNAPSHOT, then every event applied to it. `generation` starts
 * the subscription over (after `runWorkflow` turned a planned run into a running one).
 */
export function useWorkflowRun(runId: string, generation = 0): WorkflowRun {
  const client = useRevoClient();
  const [state, dispatch] = useReducer(workflowRunReducer, { turn: null, error: undefined, done: false });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` restarts the feed on purpose.
  useEffect(() => {
    if (!client) return;
    dispatch({ type: 'reset' });
    // Unsubscribing completes the feed too: only this subscription's own ending counts.
    let current = true;
    const stop = client.subscribe(
      WorkflowEventsSubscription,
      { runId },
      {
        next: (data) => current && dispatch({ type: 'item', item: data.workflowEvents }),
        error: (error) => current && dispatch({ type: 'error', error }),
        complete: () => current && dispatch({ type: 'done' }),
      },
    );
    return () => {
      current = false;
      stop();
    };
  }, [client, runId, generation]);
  return state;
}
