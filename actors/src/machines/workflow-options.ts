import { z } from 'zod';

/** Limits a workflow may not cross; crossing one fails the run with `workflow.budget.exceeded`. */
export const Budgets = z.object({
  /** Steps started, including those the planner inserts. @default 50 */
  maxSteps: z.number().int().positive().max(1_000).default(50),
  /** Input plus output tokens over all calls. @default 2000000 */
  maxTokens: z.number().int().positive().default(2_000_000),
  /** Money over all calls, in US dollars. @default 5 */
  maxCostUsd: z.number().nonnegative().default(5),
  /** Wall time from the start of execution. @default 1800000 (30 min) */
  maxDurationMs: z.number().int().positive().max(86_400_000).default(1_800_000),
});
export type Budgets = z.infer<typeof Budgets>;

/** How a workflow runs; every field has a default, so `{}` is a valid value. */
export const WorkflowOptions = z.object({
  /** Steps running at once. @default 4 */
  concurrency: z.number().int().min(1).max(256).default(4),
  budgets: Budgets.default(Budgets.parse({})),
  /**
   * `adapt` asks the planner to revise the graph when a step fails or flags its result, then
   * stops dependents it could not repair; `continue` only skips dependents; `fail-fast` stops.
   * @default 'adapt'
   */
  failurePolicy: z.enum(['adapt', 'continue', 'fail-fast']).default('adapt'),
  /** @default 3 */
  maxRevisions: z.number().int().min(0).max(20).default(3),
  retry: z
    .object({
      attemptsPerModel: z.number().int().min(1).max(10).default(2),
      baseDelayMs: z.number().int().min(0).max(60_000).default(250),
      maxDelayMs: z.number().int().min(0).max(600_000).default(4_000),
    })
    .default({ attemptsPerModel: 2, baseDelayMs: 250, maxDelayMs: 4_000 }),
  /** Per model attempt. @default 120000 */
  timeoutMs: z.number().int().positive().max(3_600_000).default(120_000),
  discussion: z
    .object({
      /** @default 2 */
      maxRounds: z.number().int().min(0).max(10).default(2),
      /** @default 0.15 */
      minMargin: z.number().min(0).max(1).default(0.15),
    })
    .default({ maxRounds: 2, minMargin: 0.15 }),
});
export type WorkflowOptions = z.infer<typeof WorkflowOptions>;
export type WorkflowOptionsInput = z.input<typeof WorkflowOptions>;
