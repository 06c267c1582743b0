import type { ActorUpdate, ActorView } from '../api';
import { builder } from '../builder';
import { FeedKindEnum } from './enums';

export const ActorRef = builder.objectRef<ActorView>('Actor').implement({
  description: 'A live XState actor: a conversation, workflow, execution, discussion or agent.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', { description: 'Its id inside its parent, e.g. step:b.' }),
    kind: t.exposeString('kind', { description: 'The machine: conversation, workflow, execution, discussion, agent.' }),
    parentId: t.exposeString('parentId', { nullable: true }),
    runId: t.exposeString('runId', { nullable: true }),
    status: t.exposeString('status', { description: 'active, done, error or stopped.' }),
    value: t.field({ type: 'JSON', description: 'The current state value.', resolve: (a) => a.value }),
    context: t.field({ type: 'JSON', resolve: (a) => a.context }),
    definition: t.field({
      type: 'JSON',
      description: 'The machine definition, to draw it.',
      resolve: (a) => a.definition,
    }),
    startedAt: t.field({ type: 'Timestamp', resolve: (a) => a.startedAt }),
    updatedAt: t.field({ type: 'Timestamp', resolve: (a) => a.updatedAt }),
    snapshotCount: t.exposeInt('snapshotCount'),
  }),
});

export const ActorUpdateRef = builder.objectRef<ActorUpdate>('ActorUpdate').implement({
  description: 'A snapshot an actor took (SNAPSHOT) or an event it received (EVENT).',
  fields: (t) => ({
    actorId: t.exposeString('actorId'),
    kind: t.field({ type: FeedKindEnum, resolve: (u) => u.kind }),
    index: t.int({ nullable: true, resolve: (u) => u.index ?? null }),
    at: t.field({ type: 'Timestamp', resolve: (u) => u.at }),
    eventType: t.exposeString('eventType'),
    event: t.field({ type: 'JSON', nullable: true, resolve: (u) => u.event }),
    status: t.string({ nullable: true, resolve: (u) => u.status ?? null }),
    value: t.field({ type: 'JSON', nullable: true, resolve: (u) => u.value }),
    context: t.field({ type: 'JSON', nullable: true, resolve: (u) => u.context }),
  }),
});

builder.queryFields((t) => ({
  actors: t.field({
    type: [ActorRef],
    description: 'Live machine actors (and recently finished ones with includeFinished).',
    args: { kind: t.arg.string(), runId: t.arg.string(), includeFinished: t.arg.boolean() },
    resolve: (_, args, { api }) => api.actors(args),
  }),
  actor: t.field({
    type: ActorRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, { api }) => api.actor(String(id)) ?? null,
  }),
  actorHistory: t.field({
    type: [ActorUpdateRef],
    description: "An actor's recorded snapshots and received events, oldest first (the last `last`).",
    args: { id: t.arg.id({ required: true }), last: t.arg.int({ defaultValue: 50 }) },
    resolve: (_, { id, last }, { api }) => api.actorSnapshots(String(id), last ?? 50),
  }),
}));

builder.subscriptionFields((t) => ({
  inspectorEvents: t.field({
    type: ActorUpdateRef,
    description: "An actor's current snapshot, then its transitions and received events as they happen.",
    args: { actorId: t.arg.id({ required: true }) },
    subscribe: (_, { actorId }, { api }) => api.inspectorFeed(String(actorId)),
    resolve: (update) => update,
  }),
}));
