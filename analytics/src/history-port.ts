import type { AgentHistory, HistoryPort } from '@revo/actors';
import type { ClickHouseClient } from './clickhouse';
import { runQuery } from './queries';

export interface ClickHouseHistoryOptions {
  /** How long a read stays fresh. @default 10000 */
  ttlMs?: number;
  /** How far back outcomes count. @default 30 days */
  windowMs?: number;
  now?: () => number;
}

/**
 * The selector's history read back from ClickHouse (`agent-history`): per agent, its steps and
 * ratings as trials and successes, per capability too, and the discussions it prevailed in.
 * Cached for `ttlMs`; `invalidate()` makes the next read fresh (after feedback, say). A failed
 * read keeps the last good snapshot (or none), so selection never waits on analytics being up.
 */
export function createClickHouseHistory(client: ClickHouseClient, options: ClickHouseHistoryOptions = {}) {
  const ttlMs = options.ttlMs ?? 10_000;
  const windowMs = options.windowMs ?? 30 * 24 * 3_600_000;
  const now = options.now ?? Date.now;
  let cached: { at: number; value: ReadonlyMap<string, AgentHistory> } | undefined;
  let loading: Promise<ReadonlyMap<string, AgentHistory>> | undefined;
  let lastError: string | undefined;

  const load = async (): Promise<ReadonlyMap<string, AgentHistory>> => {
    const rows = await runQuery(client, 'agent-history', { since: new Date(now() - windowMs) });
    const byAgent = new Map<
      string,
      AgentHistory & { byCapability: Record<string, { successes: number; trials: number }> }
    >();
    for (const row of rows) {
      const h = byAgent.get(row.agent) ?? { successes: 0, trials: 0, prevailed: 0, discussions: 0, byCapability: {} };
      h.successes += row.successes;
      h.trials += row.trials;
      h.prevailed = (h.prevailed ?? 0) + row.prevailed;
      h.discussions = (h.discussions ?? 0) + row.discussions;
      if (row.capability) {
        const c = h.byCapability[row.capability] ?? { successes: 0, trials: 0 };
        h.byCapability[row.capability] = { successes: c.successes + row.successes, trials: c.trials + row.trials };
      }
      byAgent.set(row.agent, h);
    }
    return byAgent;
  };

  const port: HistoryPort & { invalidate(): void; lastError(): string | undefined } = {
    async snapshot() {
      if (cached && now() - cached.at < ttlMs) return cached.value;
      loading ??= load()
        .then((value) => {
          cached = { at: now(), value };
          lastError = undefined;
          return value;
        })
        .catch((error: unknown) => {
          lastError = error instanceof Error ? error.message : String(error);
          return cached?.value ?? new Map<string, AgentHistory>();
        })
        .finally(() => {
          loading = undefined;
        });
      return loading;
    },
    invalidate() {
      cached = undefined;
    },
    lastError: () => lastError,
  };
  return port;
}
