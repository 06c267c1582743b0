/**
 * Follows one actor: its live feed (`inspectorEvents`) and its recorded history (`actorHistory`).
 *
 * The history is asked for when following starts, so it shows even while the WebSocket is still
 * connecting, and again each time the live feed (re)starts. The live feed opens with the actor's
 * current snapshot (`xstate.current`) and then sends what happens after it; a history read before
 * the server started that feed would miss whatever happened in between (and so would one read before
 * a reconnect). Asking again once the feed has started closes that gap; `inspector-feed.ts` merges
 * the overlap without duplicates.
 */
import { type GraphQLRequestError, type RevoClient, toRequestError } from '@/lib/graphql/client';
import type { ActorUpdate } from '@/lib/graphql/schema-types';
import { ActorHistoryQuery, InspectorEventsSubscription } from './operations';

/** How many recorded updates to ask for (the server keeps fewer per actor). */
export const HISTORY_LAST = 200;

export interface ActorFollower {
  update(update: ActorUpdate): void;
  history(updates: readonly ActorUpdate[]): void;
  /** The live feed ended: the actor stopped. */
  ended(): void;
  /** The live feed failed. */
  feedError(error: GraphQLRequestError): void;
  /** Reading the history failed, or (`undefined`) a later read succeeded. */
  historyError(error: GraphQLRequestError | undefined): void;
}

/** Starts following `actorId`; returns the stop. Nothing reaches `follower` after the stop. */
export function followActor(
  client: Pick<RevoClient, 'request' | 'subscribe'>,
  actorId: string,
  follower: ActorFollower,
): () => void {
  let open = true;
  const controller = new AbortController();
  let historyFailed = false;

  const readHistory = () => {
    client.request(ActorHistoryQuery, { id: actorId, last: HISTORY_LAST }, { signal: controller.signal }).then(
      (data) => {
        if (!open) return;
        follower.history(data.actorHistory);
        if (historyFailed) {
          historyFailed = false;
          follower.historyError(undefined);
        }
      },
      (failure: unknown) => {
        if (!open) return;
        historyFailed = true;
        follower.historyError(toRequestError(failure));
      },
    );
  };

  // Unsubscribing completes the feed too: only this subscription's own ending counts.
  const stop = client.subscribe(
    InspectorEventsSubscription,
    { actorId },
    {
      next: (data) => {
        if (!open) return;
        follower.update(data.inspectorEvents);
        if (data.inspectorEvents.eventType === 'xstate.current') readHistory();
      },
      error: (failure) => open && follower.feedError(failure),
      complete: () => open && follower.ended(),
    },
  );
  readHistory();

  return () => {
    open = false;
    controller.abort();
    stop();
  };
}
