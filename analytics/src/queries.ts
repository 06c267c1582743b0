import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ClickHouseClient } from './clickhouse';

/** The folder of named queries: `<name>.sql`, one SELECT each, with ClickHouse query parameters. */
export const QUERIES_DIR = fileURLToPath(new URL('../queries/', import.meta.url));

const DAY_MS = 86_400_000;

/** A `DateTime64(3, 'UTC')` query parameter as text: `2026-01-02 03:04:05.678`. */
export const toClickHouseTime = (date: Date): string => date.toISOString().replace('T', ' ').replace('Z', '');

/** `DateTime64(3, 'UTC')` text as ms since 1970. */
const fromClickHouseTime = (text: string): number => Date.parse(`${text.replace(' ', 'T')}Z`);

/** The start of the window every query reads. @default 30 days ago */
const since = z.coerce
  .date<Date | string | number>()
  .default(() => new Date(Date.now() - 30 * DAY_MS))
  .transform(toClickHouseTime);

const SinceParams = z.strictObject({ since });

/** Training reads the most recent runs only: enough to learn from, quick to load. */
const HistoryParams = z.strictObject({ since, limit: z.coerce.number().int().min(1).max(1_000_000).default(5_000) });

const LocalShareParams = z.strictObject({
  since,
  /** USD per 1,000 tokens (in + out) of the cloud model the local answers are priced against. @default 0.002 */
  cloud_price_per_1k: z.coerce.number<number | string>().nonnegative().default(0.002),
});

// ClickHouse writes (U)Int64 as JSON strings (a server by default) or numbers (chDB); NaN and
// infinities as null. Every number is coerced; a nullable one is null before it is coerced.
const count = z.coerce.number();
const num = z.coerce.number();
const maybe = z.coerce.number().nullable();
const time = z.string().transform(fromClickHouseTime);

const AgentPerformanceRow = z.object({
  agent: z.string(),
  runs: count,
  steps: count,
  successRate: num,
  p50LatencyMs: maybe,
  p95LatencyMs: maybe,
  costUsd: num,
  costPerTask: num,
  ratings: count,
  satisfaction: maybe,
  discussions: count,
  prevailed: maybe,
  movedToConsensus: maybe,
});

const AgentSpecialisationRow = z.object({
  agent: z.string(),
  taskCategory: z.string(),
  runs: count,
  steps: count,
  completed: count,
  successRate: num,
  stepShare: num,
});

const CostBreakdownRow = z.object({
  agent: z.string(),
  model: z.string(),
  provider: z.string(),
  local: z.coerce.number().transform((n) => n === 1),
  calls: count,
  tokensIn: count,
  tokensOut: count,
  tokens: count,
  costUsd: num,
  costShare: maybe,
});

const LocalShareRow = z.object({
  calls: count,
  localCalls: count,
  localShare: maybe,
  tokens: count,
  localTokens: count,
  costUsd: num,
  cloudEquivalentUsd: num,
  savedUsd: num,
});

const TrendsRow = z.object({
  day: z.string(),
  runs: count,
  completed: count,
  failed: count,
  cancelled: count,
  successRate: maybe,
  steps: count,
  stepSuccessRate: maybe,
  calls: count,
  costUsd: num,
  localShare: maybe,
  conflicts: count,
  escalations: count,
});

const WorkflowShapeRow = z.object({
  mode: z.string(),
  shape: z.enum(['none', 'single', 'chain', 'parallel', 'dag']),
  stepsBucket: z.string(),
  depth: count,
  width: count,
  runs: count,
  completed: count,
  failed: count,
  cancelled: count,
  successRate: maybe,
  avgDurationMs: num,
});

const ConflictsRow = z.object({
  resolution: z.enum(['consensus', 'vote', 'human', 'undecided']),
  conflicts: count,
  share: num,
  avgRounds: num,
  escalated: count,
});

const AgentHistoryRow = z.object({
  agent: z.string(),
  capability: z.string(),
  trials: count,
  successes: count,
  discussions: count,
  prevailed: count,
});

const WorkflowHistoryRow = z.object({
  run_id: z.string(),
  created_at: time,
  ended_at: time,
  durationMs: num,
  outcome: z.enum(['completed', 'failed', 'cancelled']),
  costUsd: num,
  tokens: count,
  mode: z.string(),
  task_category: z.string(),
  plan: z.string(),
  agents: z.array(z.string()),
  models: z.array(z.string()),
});

/** One named query: its SQL file in `QUERIES_DIR`, what it takes and what each row holds. */
export interface NamedQuery<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  name: string;
  file: string;
  description: string;
  /** Query parameters with their defaults; the output is what is bound as `query_params`. */
  params: P;
  row: R;
}

const named = <N extends string, P extends z.ZodType, R extends z.ZodType>(
  name: N,
  description: string,
  params: P,
  row: R,
): NamedQuery<P, R> & { name: N } => ({ name, file: `${name}.sql`, description, params, row });

/** Every named query, by name. Each `.sql` file's header documents its parameters and columns. */
export const namedQueries = {
  'agent-performance': named(
    'agent-performance',
    'per agent: runs, steps, success rate, p50/p95 latency, cost per task, satisfaction, discussions won',
    SinceParams,
    AgentPerformanceRow,
  ),
  'agent-specialisation': named(
    'agent-specialisation',
    'per agent and task category: steps and success rate',
    SinceParams,
    AgentSpecialisationRow,
  ),
  'cost-breakdown': named('cost-breakdown', 'per agent and model: calls, tokens, cost', SinceParams, CostBreakdownRow),
  'local-share': named(
    'local-share',
    'share of answers from local models, and the money saved against a cloud price',
    LocalShareParams,
    LocalShareRow,
  ),
  trends: named(
    'trends',
    'per day: runs, success rate, steps, cost, local share, conflicts, escalations',
    SinceParams,
    TrendsRow,
  ),
  'workflow-success-by-shape': named(
    'workflow-success-by-shape',
    'per mode and plan shape (steps, depth, width): runs, success rate, mean duration',
    SinceParams,
    WorkflowShapeRow,
  ),
  conflicts: named('conflicts', 'per resolution kind: conflicts, mean rounds, escalations', SinceParams, ConflictsRow),
  'agent-history': named(
    'agent-history',
    'per agent and capability: trials and successes (steps and ratings), discussions won',
    SinceParams,
    AgentHistoryRow,
  ),
  'workflow-history': named(
    'workflow-history',
    'the most recent finished runs created since `since` (at most `limit`): timing, outcome, cost, mode, category, plan, agents, models',
    HistoryParams,
    WorkflowHistoryRow,
  ),
};

type Queries = typeof namedQueries;
export type QueryName = keyof Queries;
export type QueryParams<N extends QueryName> = z.input<Queries[N]['params']>;
export type QueryRow<N extends QueryName> = z.output<Queries[N]['row']>;

export const QUERY_NAMES = Object.keys(namedQueries) as QueryName[];

/** The named query, or an error that lists the names there are. */
export function namedQuery<N extends QueryName>(name: N): Queries[N] {
  if (!Object.hasOwn(namedQueries, name)) {
    throw new Error(`unknown query "${String(name)}"; the named queries are: ${QUERY_NAMES.join(', ')}`);
  }
  return namedQueries[name];
}

const sqlCache = new Map<string, Promise<string>>();

/** The SQL of a named query as the file has it, without a trailing `;` (the client appends FORMAT). */
export function querySql(name: QueryName): Promise<string> {
  const { file } = namedQuery(name);
  let sql = sqlCache.get(file);
  if (!sql) {
    sql = readFile(`${QUERIES_DIR}${file}`, 'utf8').then((text) => text.trim().replace(/;$/, ''));
    sql.catch(() => sqlCache.delete(file));
    sqlCache.set(file, sql);
  }
  return sql;
}

/**
 * Runs a named query: parameters validated (defaults filled) and bound as `query_params`, never
 * spliced into the SQL; rows validated and numbers coerced.
 */
export async function runQuery<N extends QueryName>(
  client: ClickHouseClient,
  name: N,
  params?: QueryParams<N>,
): Promise<QueryRow<N>[]> {
  const query: NamedQuery = namedQuery(name);
  const bound = query.params.safeParse(params ?? {});
  if (!bound.success) throw new Error(`query "${name}": ${z.prettifyError(bound.error)}`);
  const result = await client.query({
    query: await querySql(name),
    query_params: bound.data as Record<string, unknown>,
    format: 'JSONEachRow',
  });
  return z.array(query.row).parse(await result.json()) as QueryRow<N>[];
}
