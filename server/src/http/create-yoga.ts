import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { type RevoApi, type SchemaContext, schema } from '@revo/schema';
import { GraphQLError } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type { Env } from '../env';

export type Limits = Pick<
  Env,
  'REVO_MAX_DEPTH' | 'REVO_MAX_ALIASES' | 'REVO_MAX_TOKENS_PER_DOCUMENT' | 'REVO_MAX_COST' | 'REVO_GRAPHIQL'
>;

export const defaultLimits: Limits = {
  REVO_MAX_DEPTH: 12,
  REVO_MAX_ALIASES: 30,
  REVO_MAX_TOKENS_PER_DOCUMENT: 4_000,
  REVO_MAX_COST: 10_000,
  REVO_GRAPHIQL: true,
};

/**
 * The GraphQL endpoint: the schema, its resolvers' API, and the document limits (depth, aliases,
 * tokens, cost) that apply to HTTP and WebSocket operations alike. Unexpected errors reach clients
 * masked; `ApiError`s (bad input, not found, conflict) keep their message and code.
 */
export function createRevoYoga(api: RevoApi, limits: Limits = defaultLimits, log: (line: string) => void = () => {}) {
  return createYoga<Record<string, unknown>, SchemaContext>({
    schema,
    graphqlEndpoint: '/graphql',
    context: () => ({ api }),
    graphiql: limits.REVO_GRAPHIQL
      ? { title: 'reVo GraphQL', subscriptionsProtocol: 'WS', defaultQuery: defaultQuery }
      : false,
    maskedErrors: {
      maskError: (error, message) => {
        // the outer error keeps what the client needs: the path, locations, the variable's name
        if (isClientError(error)) return error as GraphQLError;
        const original = isGraphQLError(error) ? ((error as GraphQLError).originalError ?? error) : error;
        log(`unexpected error: ${(original as Error)?.stack ?? String(original)}`);
        return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      },
    },
    landingPage: false,
    logging: false,
    plugins: [
      maxTokensPlugin({ n: limits.REVO_MAX_TOKENS_PER_DOCUMENT }),
      maxDepthPlugin({ n: limits.REVO_MAX_DEPTH, flattenFragments: true }),
      maxAliasesPlugin({ n: limits.REVO_MAX_ALIASES }),
      costLimitPlugin({ maxCost: limits.REVO_MAX_COST }),
    ],
  });
}

/**
 * By name, not `instanceof`: where graphql is loaded both as CommonJS and as ESM (test runners),
 * one error class has two identities.
 */
const isGraphQLError = (error: unknown): boolean => (error as Error | undefined)?.name === 'GraphQLError';

/** A GraphQLError all the way down: raised on purpose (bad input, not found, ...), not a crash. */
const isClientError = (error: unknown): boolean =>
  isGraphQLError(error) &&
  ((error as GraphQLError).originalError == null || isClientError((error as GraphQLError).originalError));

export type RevoYoga = ReturnType<typeof createRevoYoga>;

const defaultQuery = `# reVo's API. Try:
query Agents {
  models { offlineOnly ollamaReachable }
  agents { id name tier models }
  agentSelection(task: "Fix the login bug and add a regression test") { chosen ranking { agent score why } }
}
`;
