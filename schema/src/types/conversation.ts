import type { ConversationRecord, Message } from '@revo/actors';
import type { ConversationFeedItem } from '../api';
import { builder } from '../builder';
import { ConflictRef } from './conflict';
import { connection } from './connection';
import { ChatModeEnum, ConversationStatusEnum, FeedKindEnum, RoleEnum, WorkflowStatusEnum } from './enums';
import { UsageTotalsRef } from './usage';
import { RunEventRef, WorkflowRef } from './workflow';

export const MessageRef = builder.objectRef<Message>('Message').implement({
  description: 'One chat message. An assistant message names its run, its agents, what it cost, and if it was offline.',
  fields: (t) => ({
    id: t.exposeID('id'),
    role: t.field({ type: RoleEnum, resolve: (m) => m.role }),
    content: t.exposeString('content'),
    mode: t.field({ type: ChatModeEnum, resolve: (m) => m.mode }),
    runId: t.exposeString('runId', { nullable: true }),
    status: t.field({ type: WorkflowStatusEnum, nullable: true, resolve: (m) => m.status ?? null }),
    agents: t.exposeStringList('agents'),
    usage: t.field({ type: UsageTotalsRef, nullable: true, resolve: (m) => m.usage ?? null }),
    offline: t.exposeBoolean('offline', { description: 'True when the offline model wrote (part of) this answer.' }),
  }),
});

export const ConversationRef = builder.objectRef<ConversationRecord>('Conversation').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    status: t.field({ type: ConversationStatusEnum, resolve: (c) => c.status }),
    messages: t.field({ type: [MessageRef], resolve: (c) => c.messages }),
    activeRunId: t.exposeString('activeRunId', { nullable: true }),
    activeWorkflow: t.field({
      type: WorkflowRef,
      nullable: true,
      resolve: async (c, _, { api }) => (c.activeRunId ? ((await api.workflow(c.activeRunId)) ?? null) : null),
    }),
    awaiting: t.field({
      type: ConflictRef,
      nullable: true,
      description: 'The conflict waiting for your decision, if any.',
      resolve: (c) => c.awaiting ?? null,
    }),
    queued: t.exposeInt('queued', { description: 'Messages waiting for the current turn to end.' }),
    createdAt: t.field({ type: 'Timestamp', resolve: (c) => c.createdAt }),
    updatedAt: t.field({ type: 'Timestamp', resolve: (c) => c.updatedAt }),
  }),
});

const ConversationConnection = connection('Conversation', ConversationRef);

const ConversationFeedItemRef = builder.objectRef<ConversationFeedItem>('ConversationFeedItem').implement({
  description: 'First a SNAPSHOT (the conversation and its running turn), then one EVENT per change.',
  fields: (t) => ({
    kind: t.field({ type: FeedKindEnum, resolve: (i) => i.kind }),
    conversation: t.field({ type: ConversationRef, nullable: true, resolve: (i) => i.conversation ?? null }),
    workflow: t.field({ type: WorkflowRef, nullable: true, resolve: (i) => i.workflow ?? null }),
    event: t.field({ type: RunEventRef, nullable: true, resolve: (i) => i.event ?? null }),
  }),
});

builder.queryFields((t) => ({
  conversations: t.field({
    type: ConversationConnection,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (_, args, { api }) => api.conversations(args),
  }),
  conversation: t.field({
    type: ConversationRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_, { id }, { api }) => (await api.conversation(String(id))) ?? null,
  }),
}));

const SendMessagePayload = builder
  .objectRef<{ conversation: ConversationRecord; runId: string | undefined }>('SendMessagePayload')
  .implement({
    fields: (t) => ({
      conversation: t.field({ type: ConversationRef, resolve: (p) => p.conversation }),
      runId: t.string({
        nullable: true,
        description: 'The turn this message started; null when it waits behind the current turn.',
        resolve: (p) => p.runId ?? null,
      }),
    }),
  });

const SendMessageInput = builder.inputType('SendMessageInput', {
  fields: (t) => ({
    conversationId: t.id({ required: true }),
    text: t.string({ required: true, description: '1 to 100,000 characters.' }),
    mode: t.field({ type: ChatModeEnum, description: 'Default SINGLE.' }),
    agents: t.stringList({ description: 'Agent ids to use instead of automatic selection (at most 9).' }),
  }),
});

builder.mutationFields((t) => ({
  startConversation: t.field({
    type: ConversationRef,
    args: { title: t.arg.string() },
    resolve: (_, { title }, { api }) => api.startConversation(title),
  }),
  sendMessage: t.field({
    type: SendMessagePayload,
    args: { input: t.arg({ type: SendMessageInput, required: true }) },
    resolve: (_, { input }, { api }) => api.sendMessage({ ...input, conversationId: String(input.conversationId) }),
  }),
}));

builder.subscriptionFields((t) => ({
  conversationEvents: t.field({
    type: ConversationFeedItemRef,
    description: 'The conversation as it is, then token deltas, agent status, answers, conflicts, discussion rounds.',
    args: { conversationId: t.arg.id({ required: true }) },
    subscribe: (_, { conversationId }, { api }) => api.conversationFeed(String(conversationId)),
    resolve: (item) => item,
  }),
}));
