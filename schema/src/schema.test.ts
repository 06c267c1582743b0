import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema, schema } from './schema';

const committed = readFileSync(fileURLToPath(new URL('../schema.graphql', import.meta.url)), 'utf8');

describe('schema.graphql', () => {
  it('matches the Pothos types (run `npm run generate -w @revo/schema` after a deliberate change)', () => {
    expect(printedSchema()).toBe(committed);
  });

  it('has the queries, mutations and subscriptions the API promises', () => {
    const names = (type: 'Query' | 'Mutation' | 'Subscription') =>
      Object.keys((schema.getType(type) as GraphQLObjectType).getFields());
    expect(names('Query')).toEqual(
      expect.arrayContaining([
        'agents',
        'agentSelection',
        'conversations',
        'workflows',
        'workflow',
        'actors',
        'actorHistory',
      ]),
    );
    expect(names('Mutation')).toEqual(
      expect.arrayContaining([
        'startConversation',
        'sendMessage',
        'planWorkflow',
        'runWorkflow',
        'cancelWorkflow',
        'retryWorkflow',
        'decideConflict',
        'giveFeedback',
        'saveWorkflowTemplate',
      ]),
    );
    expect(names('Subscription')).toEqual(
      expect.arrayContaining(['conversationEvents', 'workflowEvents', 'agentStatus', 'inspectorEvents']),
    );
  });
});
