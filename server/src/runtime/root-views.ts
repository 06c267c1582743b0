import { type EventPort, turnRunId } from '@revo/actors';
import type { Root } from './actor-host-types';
import type { conversationRecord } from './records';

/** Announces new messages of a conversation as events of the turn they belong to. */
export function announceMessages(root: Root, events: EventPort) {
  const context = (root.actor.getSnapshot() as { context: Parameters<typeof conversationRecord>[0] }).context;
  while (root.announced < context.messages.length) {
    const message = context.messages[root.announced];
    root.announced += 1;
    if (!message) continue;
    events.publish({
      type: 'message.added',
      runId: message.runId ?? turnRunId(root.id, context.turn),
      conversationId: root.id,
      message,
    });
  }
}

/** The run whose events a root's snapshot covers: the workflow itself, or a conversation's current turn. */
export function activeRunOf(root: Root): string {
  if (root.kind === 'workflow') return root.id;
  const { turn } = (root.actor.getSnapshot() as { context: { turn: number } }).context;
  return turnRunId(root.id, turn);
}
