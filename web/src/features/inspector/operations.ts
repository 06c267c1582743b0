/**
 * The GraphQL operations of the inspector: live actors, one actor with its machine definition,
 * its recorded history, and its live feed (checked against `schema/schema.graphql` by the test).
 */
import { defineOperation } from '@/features/workflows/define-operation';
import type { Actor, ActorUpdate } from '@/lib/graphql/schema-types';

/** An actor as the list shows it (no definition or context: those come with the chosen one). */
export type ActorSummary = Pick<
  Actor,
  'id' | 'name' | 'kind' | 'parentId' | 'runId' | 'status' | 'value' | 'snapshotCount' | 'startedAt' | 'updatedAt'
>;

const summaryFields = 'id name kind parentId runId status value snapshotCount startedAt updatedAt';
const updateFields = 'actorId kind index at eventType status value context event';

export const ActorsQuery = defineOperation<
  { actors: ActorSummary[] },
  { kind?: string | null; runId?: string | null; includeFinished: boolean }
>(`query InspectorActors($kind: String, $runId: String, $includeFinished: Boolean) {
  actors(kind: $kind, runId: $runId, includeFinished: $includeFinished) { ${summaryFields} }
}`);

export const ActorQuery = defineOperation<{ actor: Actor | null }, { id: string }>(
  `query InspectorActor($id: ID!) { actor(id: $id) { ${summaryFields} context definition } }`,
);

export const ActorHistoryQuery = defineOperation<{ actorHistory: ActorUpdate[] }, { id: string; last: number }>(
  `query InspectorActorHistory($id: ID!, $last: Int) { actorHistory(id: $id, last: $last) { ${updateFields} } }`,
);

export const InspectorEventsSubscription = defineOperation<{ inspectorEvents: ActorUpdate }, { actorId: string }>(
  `subscription InspectorEvents($actorId: ID!) { inspectorEvents(actorId: $actorId) { ${updateFields} } }`,
);
