import SchemaBuilder from '@pothos/core';
import { GraphQLError, Kind } from 'graphql';
import type { RevoApi } from './api';

/** What every resolver gets: the API the server implements. */
export interface SchemaContext {
  api: RevoApi;
}

/**
 * The Pothos builder every type file registers on. Timestamps are ISO 8601 strings; free-form
 * values (machine contexts, event payloads) are JSON.
 */
export const builder = new SchemaBuilder<{
  Context: SchemaContext;
  DefaultFieldNullability: false;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    Timestamp: { Input: number; Output: number };
  };
}>({ defaultFieldNullability: false });

builder.scalarType('JSON', {
  description: 'Any JSON value: machine definitions and contexts, event payloads.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

builder.scalarType('Timestamp', {
  description: 'A moment as an ISO 8601 string (UTC); accepted as that or as milliseconds since 1970.',
  serialize: (value) => new Date(value as number).toISOString(),
  parseValue: (value) => parseTimestamp(value),
  parseLiteral: (node) =>
    parseTimestamp(node.kind === Kind.STRING ? node.value : node.kind === Kind.INT ? Number(node.value) : undefined),
});

function parseTimestamp(value: unknown): number {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new GraphQLError('a Timestamp is an ISO 8601 string or milliseconds since 1970');
  return ms;
}

builder.queryType({ description: 'Read what reVo knows: agents, conversations, workflows, templates, live actors.' });
builder.mutationType({ description: 'Ask reVo to do something: chat, plan, run, cancel, retry, decide, rate, save.' });
builder.subscriptionType({
  description: 'Live streams over graphql-ws on /graphql: the state as it is first, then every change.',
});
