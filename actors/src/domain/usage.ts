import { z } from 'zod';

/** What one model call cost: in money, in tokens and in time, and whether it ran locally. */
export const Usage = z.object({
  model: z.string(),
  provider: z.enum(['ollama', 'openai', 'anthropic', 'offline', 'fake']),
  local: z.boolean(),
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  latencyMs: z.number().nonnegative(),
});
export type Usage = z.infer<typeof Usage>;

/** Totals over many calls; `localShare` is the share of calls served by a local or offline model. */
export const UsageTotals = z.object({
  calls: z.number().int().nonnegative(),
  localCalls: z.number().int().nonnegative(),
  offlineCalls: z.number().int().nonnegative(),
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  latencyMs: z.number().nonnegative(),
});
export type UsageTotals = z.infer<typeof UsageTotals>;

export const emptyTotals = (): UsageTotals => ({
  calls: 0,
  localCalls: 0,
  offlineCalls: 0,
  tokensIn: 0,
  tokensOut: 0,
  costUsd: 0,
  latencyMs: 0,
});

export const addUsage = (totals: UsageTotals, usage: Usage): UsageTotals => ({
  calls: totals.calls + 1,
  localCalls: totals.localCalls + (usage.local ? 1 : 0),
  offlineCalls: totals.offlineCalls + (usage.provider === 'offline' ? 1 : 0),
  tokensIn: totals.tokensIn + usage.tokensIn,
  tokensOut: totals.tokensOut + usage.tokensOut,
  costUsd: totals.costUsd + usage.costUsd,
  latencyMs: totals.latencyMs + usage.latencyMs,
});

export const localShare = (totals: UsageTotals): number => (totals.calls === 0 ? 1 : totals.localCalls / totals.calls);
