/**
 * The state of one open conversation, fed by its `conversationEvents` subscription: the SNAPSHOT
 * first (the conversation and its running turn), then every run event. Pure, so the chat's whole
 * behaviour can be replayed from recorded feeds in tests.
 */
import type { ConversationFeed, ConversationFields } from '@/lib/graphql/operations';
import type { Message, RunEvent } from '@/lib/graphql/schema-types';
import { applyRunEvent } from './turn-events';
import { type Turn, emptyTurn, isEnded, messageFromDomain, turnFromWorkflow } from './turn-state';

export interface FeedState {
  conversationId: string | null;
  conversation: Omit<ConversationFields, 'messages'> | null;
  messages: Message[];
  /** Turns seen live (or in a snapshot) since the conversation was opened, by run id. */
  turns: Record<string, Turn>;
  /** The newest turn: the one the composer follows. */
  latestRunId: string | null;
  /** How many snapshots arrived: 0 while loading, more than 1 after a reconnect. */
  snapshots: number;
}

export type FeedAction =
  | { type: 'reset'; conversationId: string | null }
  | { type: 'items'; items: ConversationFeed[] };

export const emptyFeed = (conversationId: string | null = null): FeedState => ({
  conversationId,
  conversation: null,
  messages: [],
  turns: {},
  latestRunId: null,
  snapshots: 0,
});

export function feedReducer(state: FeedState, action: FeedAction): FeedState {
  switch (action.type) {
    case 'reset':
      return emptyFeed(action.conversationId);
    case 'items':
      return action.items.reduce(applyFeedItem, state);
  }
}

export function applyFeedItem(state: FeedState, item: ConversationFeed): FeedState {
  if (item.kind === 'SNAPSHOT') {
    if (!item.conversation) return state;
    const { messages, ...conversation } = item.conversation;
    const turns = { ...state.turns };
    if (item.workflow) turns[item.workflow.runId] = turnFromWorkflow(item.workflow);
    return {
      ...state,
      conversationId: conversation.id,
      conversation,
      messages,
      turns: settleTurns(turns, messages),
      latestRunId: item.workflow?.runId ?? conversation.activeRunId ?? state.latestRunId,
      snapshots: state.snapshots + 1,
    };
  }
  return item.event ? applyEvent(state, item.event) : state;
}

/** A turn that ended while we were away (a reconnect) takes its outcome from its answer message. */
function settleTurns(turns: Record<string, Turn>, messages: Message[]): Record<string, Turn> {
  for (const message of messages) {
    const turn = message.runId ? turns[message.runId] : undefined;
    if (turn && message.status && !isEnded(turn.status)) {
      turns[turn.runId] = { ...turn, status: message.status, answer: message.content };
    }
  }
  return turns;
}

function applyEvent(state: FeedState, event: RunEvent): FeedState {
  const data = event.data;
  if (data.type === 'message.added') {
    const message = messageFromDomain(data.message);
    if (state.messages.some((m) => m.id === message.id)) return state;
    const next = { ...state, messages: [...state.messages, message] };
    if (message.role !== 'ASSISTANT' || !next.conversation) return next;
    return {
      ...next,
      turns: settleTurns({ ...next.turns }, [message]),
      conversation: {
        ...next.conversation,
        status: next.conversation.queued > 0 ? 'RESPONDING' : 'IDLE',
        activeRunId: null,
        awaiting: null,
      },
    };
  }

  const before = state.turns[event.runId] ?? emptyTurn(event.runId);
  const turn = applyRunEvent(before, event);
  if (turn === before) return state;
  let next: FeedState = { ...state, turns: { ...state.turns, [turn.runId]: turn } };
  const conversation = next.conversation;
  if (data.type === 'workflow.created') {
    next = { ...next, latestRunId: turn.runId };
    if (conversation) next.conversation = { ...conversation, status: 'RESPONDING', activeRunId: turn.runId };
  } else if (data.type === 'workflow.awaiting.human' && conversation) {
    const awaiting = turn.conflicts.find((c) => c.id === data.conflictId) ?? null;
    next.conversation = { ...conversation, status: 'AWAITING_HUMAN', awaiting };
  } else if (data.type === 'conflict.decided' && conversation) {
    next.conversation = { ...conversation, status: 'RESPONDING', awaiting: null };
  }
  return next;
}

/** Where a turn is, for the composer: running, waiting for a person, or over. */
export type TurnPhase = 'running' | 'awaiting' | 'ended';

export function turnPhase(turn: Turn): TurnPhase {
  if (isEnded(turn.status)) return 'ended';
  return turn.status === 'AWAITING_HUMAN' ? 'awaiting' : 'running';
}

/** The newest turn while it has no answer message yet: the one drawn live below the messages. */
export function liveTurn(state: FeedState): Turn | null {
  const turn = state.latestRunId ? state.turns[state.latestRunId] : undefined;
  if (!turn) return null;
  const answered = state.messages.some((m) => m.role === 'ASSISTANT' && m.runId === turn.runId);
  return answered ? null : turn;
}
