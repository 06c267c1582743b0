import { z } from 'zod';
import { AgentLimitsSetting, ModelLimitsSetting } from './runtime/concurrency';

const list = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .optional();
const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const positiveInt = z.coerce.number().int().positive();

/** What one process does; the default single process is all three. */
export const ROLES = ['server', 'worker', 'ingester'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Every setting reVo reads from the environment, validated once. The README's settings table is
 * written from this schema; `process.env` is read nowhere else.
 */
export const Env = z.object({
  /** Where Ollama listens. */
  OLLAMA_BASE_URL: z.url().default('http://127.0.0.1:11434'),
  /** Comma-separated model ids per tier, local first, e.g. `ollama:deepseek-r1:8b,ollama:llama3.1:8b`. */
  REVO_MODELS_REASONING: list,
  REVO_MODELS_GENERAL: list,
  REVO_MODELS_FAST: list,
  /** Skip Ollama and answer with the offline model only. */
  REVO_OFFLINE: flag.default(false),
  /** Append the offline model to every chain so a run always gets an answer. */
  REVO_OFFLINE_FALLBACK: flag.default(true),
  /** How long the start-up probe waits for Ollama, in ms. */
  REVO_OLLAMA_PROBE_MS: positiveInt.default(1_500),
  /** A JSON file of extra agents (`{"agents": [...]}`); see the README. */
  REVO_AGENTS_FILE: z.string().min(1).optional(),
  /** `auto` plans with a model when Ollama answers, else offline. */
  REVO_PLANNER: z.enum(['auto', 'model', 'offline']).default('auto'),
  REVO_CONCURRENCY: positiveInt.max(256).default(4),
  REVO_MAX_STEPS: positiveInt.default(50),
  REVO_MAX_TOKENS: positiveInt.default(2_000_000),
  REVO_MAX_COST_USD: z.coerce.number().nonnegative().default(5),
  REVO_MAX_DURATION_MS: positiveInt.default(1_800_000),
  /** Per model attempt, in ms. */
  REVO_TIMEOUT_MS: positiveInt.default(120_000),
  /** Rounds of discussion before a vote. */
  REVO_DISCUSSION_ROUNDS: z.coerce.number().int().min(0).max(10).default(2),
  /** The API server's port; GraphQL (HTTP and WebSocket) is at `/graphql`. */
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  /** The web app's port under `npm start`. */
  WEB_PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  /** Interface to listen on; without REVO_API_TOKEN only loopback is allowed. */
  HOST: z.string().min(1).optional(),
  /** When set, every HTTP request and WebSocket connection must carry it (`Authorization: Bearer ...`). */
  REVO_API_TOKEN: z.string().min(16, 'REVO_API_TOKEN must be at least 16 characters').optional(),
  /** Redis for run state, events and the call journal across restarts and replicas; memory when unset. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .optional(),
  /** Key prefix in Redis, so several deployments can share one server. */
  REVO_REDIS_PREFIX: z.string().min(1).max(64).default('revo:'),
  /** Serve GraphiQL at `/graphql` in a browser. */
  REVO_GRAPHIQL: flag.default(true),
  /** Largest request body accepted, in bytes (HTTP bodies and WebSocket messages). */
  REVO_MAX_BODY_BYTES: positiveInt.default(1_048_576),
  /** Operation limits: selection depth, aliases, tokens of a document, and its cost. */
  REVO_MAX_DEPTH: positiveInt.max(100).default(12),
  REVO_MAX_ALIASES: positiveInt.max(1_000).default(30),
  REVO_MAX_TOKENS_PER_DOCUMENT: positiveInt.default(4_000),
  REVO_MAX_COST: positiveInt.default(10_000),
  /** Where reVo keeps local data: embedded ClickHouse (`clickhouse/`) and spilled analytics batches (`spill/`). */
  REVO_DATA_DIR: z.string().min(1).default('.revo'),
  /** Write run events to ClickHouse for analytics, prediction and the selector's history. */
  REVO_ANALYTICS: flag.default(true),
  /** A ClickHouse server (`http://user:pass@host:8123/db`); embedded chDB under REVO_DATA_DIR when unset. */
  CLICKHOUSE_URL: z.url().optional(),
  /** The cloud price a local call is compared with when reporting money saved, USD per 1,000 tokens. */
  REVO_CLOUD_PRICE_PER_1K: z.coerce.number().nonnegative().default(0.00625),
  /** Live subscriptions one WebSocket may hold. */
  REVO_MAX_SUBSCRIPTIONS_PER_SOCKET: positiveInt.max(10_000).default(100),
  /**
   * What this process does, comma-separated: `server` (GraphQL and the actors), `worker` (agents'
   * model calls), `ingester` (run events into ClickHouse). Split roles need REDIS_URL.
   */
  REVO_ROLES: z
    .string()
    .default(ROLES.join(','))
    .transform((s, ctx) => {
      const roles = [
        ...new Set(
          s
            .split(',')
            .map((r) => r.trim())
            .filter(Boolean),
        ),
      ];
      const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
      if (bad.length > 0 || roles.length === 0) {
        ctx.addIssue({ code: 'custom', message: `roles are ${ROLES.join(', ')} (got "${s}")` });
        return z.NEVER;
      }
      return roles as Role[];
    }),
  /** This replica's name among replicas (leases, worker consumers); default `<hostname>:<PORT>`. */
  REVO_REPLICA_ID: z
    .string()
    .regex(/^[\w.:-]{1,100}$/, 'REVO_REPLICA_ID: letters, digits, . : _ - (at most 100)')
    .optional(),
  /** How long a replica's hold on a run lasts without renewal; a dead replica's runs move after this, in ms. */
  REVO_LEASE_MS: z.coerce.number().int().min(300).max(600_000).default(10_000),
  /** Workflows one server replica runs at once; more are refused with a retry hint. */
  REVO_MAX_WORKFLOWS: positiveInt.max(100_000).default(200),
  /** Agent model calls one worker runs at once; the rest wait in the Redis stream. */
  REVO_WORKER_POOL: positiveInt.max(1_024).default(16),
  /** Calls at once per provider or model across workers, e.g. `ollama=4,ollama:llama3.1:8b=1`. */
  REVO_MODEL_CONCURRENCY: ModelLimitsSetting.default({}),
  /** Calls at once per agent across workers, e.g. `code-generator=4,*=8` (`*`: each agent without its own). */
  REVO_AGENT_CONCURRENCY: AgentLimitsSetting.default({}),
  /** A call a worker holds this long without a heartbeat (the worker died) goes to another worker, in ms. */
  REVO_CALL_RECLAIM_MS: z.coerce.number().int().min(200).max(3_600_000).default(15_000),
  /**
   * On SIGTERM, how long a worker lets its running calls finish before it gives them up (another
   * worker takes them after REVO_CALL_RECLAIM_MS), in ms. Below Kubernetes' default 30 s grace.
   */
  REVO_WORKER_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(20_000),
});
export type Env = z.infer<typeof Env>;

/** Settings that only make sense together; checked after each one alone. */
function crossCheck(env: Env): string[] {
  const problems: string[] = [];
  if (!env.REDIS_URL && env.REVO_ROLES.length < ROLES.length) {
    problems.push(
      `  REVO_ROLES: ${env.REVO_ROLES.join(',')} needs REDIS_URL (roles in separate processes meet on Redis)`,
    );
  }
  return problems;
}

/** Parses the environment; throws one readable error listing every bad setting. */
export function loadEnv(
  source: Record<string, string | undefined> = process.env,
  overrides: Record<string, string> = {},
): Env {
  const parsed = Env.safeParse({ ...source, ...overrides });
  const problems = parsed.success
    ? crossCheck(parsed.data)
    : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  if (parsed.success && problems.length === 0) return parsed.data;
  throw new Error(`invalid settings in the environment:\n${problems.join('\n')}`);
}
