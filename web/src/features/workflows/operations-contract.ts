import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationsOf } from './define-operation';

const schema = buildSchema(readFileSync(new URL('../../../../schema/schema.graphql', import.meta.url), 'utf8'));

/** The contract every page's `operations.ts` keeps: each document validates against `schema.graphql`. */
export function operationsContract(page: string, module: Record<string, unknown>, expected: number): void {
  const all = operationsOf(module);
  describe(`${page} operations`, () => {
    it('are all found', () => {
      expect(all.length).toBe(expected);
    });

    it.each(all)('%s validates against schema.graphql', (_, operation) => {
      const document = parse(operation.document);
      expect(validate(schema, document).map((e) => e.message)).toEqual([]);
      const definition = document.definitions[0];
      expect(definition?.kind === 'OperationDefinition' && definition.name?.value).toBe(operation.name);
      expect(definition?.kind === 'OperationDefinition' && definition.operation).toBe(operation.kind);
    });
  });
}
