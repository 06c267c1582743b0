import { createRequire } from 'node:module';

/**
 * Vite resolves `graphql` to its ESM build (`module` field) while Node loads the CommonJS one
 * for dependencies (Pothos, Yoga): two copies, and "Cannot use GraphQLObjectType from another
 * module or realm". Point source files at the copy Node loads.
 */
export const singleGraphql = {
  alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
};
