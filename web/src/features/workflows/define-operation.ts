import type { Operation, OperationKind } from '@/lib/graphql/operations';

/**
 * A GraphQL document tagged with its result and variable types, the way `lib/graphql/operations.ts`
 * builds its own (that file keeps its helper private; the workflows, builder, inspector and analytics
 * pages share this one).
 */
export function defineOperation<TData, TVariables = Record<string, never>>(
  document: string,
): Operation<TData, TVariables> {
  const match = /^\s*(query|mutation|subscription)\s+(\w+)/.exec(document);
  if (!match) throw new Error(`an operation needs a kind and a name: ${document.slice(0, 60)}`);
  return { kind: match[1] as OperationKind, name: match[2] as string, document: document.trim() };
}

/** The operations a module exports, for the schema test (`operations.test.ts` next to each page's). */
export function operationsOf(module: Record<string, unknown>): [string, Operation<unknown, unknown>][] {
  return Object.entries(module).filter(
    (entry): entry is [string, Operation<unknown, unknown>] =>
      typeof entry[1] === 'object' && entry[1] !== null && 'document' in entry[1] && 'kind' in entry[1],
  );
}
