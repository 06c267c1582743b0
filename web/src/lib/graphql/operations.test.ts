import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as operations from './operations';

// The committed schema is the contract: every document the web app sends must validate against it.
const schema = buildSchema(readFileSync(new URL('../../../../schema/schema.graphql', import.meta.url), 'utf8'));
const all = Object.entries(operations as Record<string, unknown>).filter(
  (entry): entry is [string, operations.Operation<unknown, unknown>] =>
    typeof entry[1] === 'object' && entry[1] !== null && 'document' in entry[1],
);

describe('operations', () => {
  it('are all found', () => {
    expect(all.length).toBeGreaterThanOrEqual(12);
  });

  it.each(all)('%s validates against schema.graphql', (_, operation) => {
    const document = parse(operation.document);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
    const definition = document.definitions[0];
    expect(definition?.kind === 'OperationDefinition' && definition.name?.value).toBe(operation.name);
    expect(definition?.kind === 'OperationDefinition' && definition.operation).toBe(operation.kind);
  });
});
