import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder';
import './types/agent';
import './types/analytics';
import './types/conversation';
import './types/inspector';
import './types/workflow-operations';

/** The executable schema. */
export const schema = builder.toSchema();

/** The SDL committed as schema.graphql, sorted so that diffs show real changes only. */
export const printedSchema = (): string => `${printSchema(lexicographicSortSchema(schema))}\n`;
