import type { Page } from '@revo/actors';
import type { ObjectRef } from '@pothos/core';
import { builder } from '../builder';

const PageInfoRef = builder.objectRef<Page<unknown>>('PageInfo').implement({
  description: 'Pass endCursor as `after` to get the next page.',
  fields: (t) => ({
    endCursor: t.string({ nullable: true, resolve: (p) => p.nextCursor }),
    hasNextPage: t.boolean({ resolve: (p) => p.nextCursor !== null }),
  }),
});

/** A page of `nodes`, newest first, with the cursor for the next page. */
export function connection<T>(name: string, node: ObjectRef<Types, T>) {
  return builder.objectRef<Page<T>>(`${name}Connection`).implement({
    fields: (t) => ({
      nodes: t.field({ type: [node], resolve: (p) => p.items }),
      pageInfo: t.field({ type: PageInfoRef, resolve: (p) => p as Page<unknown> }),
    }),
  });
}

type Types = (typeof builder)['$inferSchemaTypes'];
