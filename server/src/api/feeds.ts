import {
  type AgentStatus,
  type ConversationRecord,
  type RunEvent,
  type Unsubscribe,
  type WorkflowRecord,
  isEphemeral,
} from '@revo/actors';
import { ApiError, type ActorUpdate, type ConversationFeedItem, type WorkflowFeedItem } from '@revo/schema';
import type { ActorHost } from '../runtime/actor-host';
import { createAsyncFeed } from '../runtime/async-feed';
import { actorView, eventUpdate, snapshotUpdate } from './inspector-views';

const ENDED = new Set(['workflow.completed', 'workflow.failed', 'workflow.cancelled']);
const FINISHED = new Set(['completed', 'failed', 'cancelled']);

/**
 * Tracks, per run, the last durable sequence number a subscriber has seen, so that the state it got
 * first, the log it caught up from and the live stream join without a gap or a duplicate.
 */
function sequencer() {
  const last = new Map<string, number>();
  return {
    start: (runId: string, seq: number) => last.set(runId, seq),
    /** True when the event is new to this subscriber (and records it). */
    admit(event: RunEvent): boolean {
      const seen = last.get(event.runId) ?? 0;
      if (isEphemeral(event)) return event.seq >= seen;
      if (event.seq <= seen) return false;
      last.set(event.runId, event.seq);
      return true;
    },
  };
}

/**
 * Subscribe first, then read the state and the log, then release what arrived meanwhile: the way
 * every feed joins the live stream.
 */
async function join(
  host: ActorHost,
  channel: string,
  onEvent: (event: RunEvent) => void,
): Promise<{ unsubscribe: Unsubscribe; release: () => void }> {
  let held: RunEvent[] | undefined = [];
  const unsubscribe = await host.bus.subscribe(channel, (event) => {
    if (held) held.push(event);
    else onEvent(event);
  });
  return {
    unsubscribe,
    release() {
      const waiting = held ?? [];
      held = undefined;
      for (const event of waiting) onEvent(event);
    },
  };
}

export function createFeeds(
  host: ActorHost,
  load: { workflow(runId: string): Promise<WorkflowRecord>; conversation(id: string): Promise<ConversationRecord> },
) {
  return {
    async workflow(runId: string): Promise<AsyncIterable<WorkflowFeedItem>> {
      const seqs = sequencer();
      const feed = createAsyncFeed<WorkflowFeedItem>({ onClose: () => void joined?.unsubscribe() });
      const deliver = (event: RunEvent) => {
        if (!seqs.admit(event)) return;
        feed.push({ kind: 'event', event });
        if (ENDED.has(event.type)) feed.end();
      };
      let joined: Awaited<ReturnType<typeof join>> | undefined;
      joined = await join(host, runId, deliver);
      try {
        const record = await load.workflow(runId);
        seqs.start(runId, record.seq);
        feed.push({ kind: 'snapshot', workflow: record });
        if (FINISHED.has(record.status)) {
          feed.end();
          return feed.iterator;
        }
        for (const event of await host.bus.history(runId, record.seq)) deliver(event);
        joined.release();
      } catch (error) {
        feed.fail(error);
      }
      return feed.iterator;
    },

    async conversation(id: string): Promise<AsyncIterable<ConversationFeedItem>> {
      const seqs = sequencer();
      let joined: Awaited<ReturnType<typeof join>> | undefined;
      const feed = createAsyncFeed<ConversationFeedItem>({ onClose: () => void joined?.unsubscribe() });
      const deliver = (event: RunEvent) => {
        if (seqs.admit(event)) feed.push({ kind: 'event', event });
      };
      joined = await join(host, id, deliver);
      try {
        const conversation = await load.conversation(id);
        const workflow = conversation.activeRunId ? host.currentWorkflow(conversation.activeRunId) : undefined;
        if (workflow) seqs.start(workflow.runId, workflow.seq);
        feed.push({ kind: 'snapshot', conversation, workflow });
        if (workflow) for (const event of await host.bus.history(workflow.runId, workflow.seq)) deliver(event);
        joined.release();
      } catch (error) {
        feed.fail(error);
      }
      return feed.iterator;
    },

    agentStatus(): AsyncIterable<AgentStatus> {
      const feed = createAsyncFeed<AgentStatus>({ onClose: () => stop() });
      for (const status of host.agentStatuses()) feed.push(status);
      const stop = host.statuses.listen((status) => feed.push(status));
      return feed.iterator;
    },

    inspector(actorId: string): AsyncIterable<ActorUpdate> {
      const actor = host.inspector.actor(actorId);
      if (!actor) throw new ApiError('NOT_FOUND', `there is no actor "${actorId}"`);
      const feed = createAsyncFeed<ActorUpdate>({ onClose: () => stop() });
      const view = actorView(actor);
      feed.push({
        actorId,
        kind: 'snapshot',
        index: actor.snapshotCount - 1,
        at: actor.updatedAt,
        eventType: 'xstate.current',
        event: null,
        status: view.status,
        value: view.value,
        context: view.context,
      });
      const stop = host.inspector.listen(actorId, (update) => {
        if (update.type === 'snapshot') {
          feed.push(snapshotUpdate(actorId, update.recorded));
          if (update.recorded.snapshot.status !== 'active') feed.end();
        } else feed.push(eventUpdate(actorId, update.recorded));
      });
      if (view.status !== 'active') feed.end();
      return feed.iterator;
    },
  };
}
