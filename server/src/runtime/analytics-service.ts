import { resolve } from 'node:path';
import {
  type AnalyticsTarget,
  type QueryName,
  type QueryParams,
  type QueryRow,
  createAnalyticsClient,
  createClickHouseHistory,
  createEventSink,
  createHistoryPredictor,
  createRowContext,
  describeTarget,
  folderHolder,
  migrate,
  runQuery,
} from '@revo/analytics';
import { type AgentProfile, type RunEvent, selectAgents } from '@revo/actors';
import type { Env } from '../env';

/** Where analytics data lives for these settings: a ClickHouse server, or chDB under the data folder. */
export function analyticsTarget(env: Pick<Env, 'CLICKHOUSE_URL' | 'REVO_DATA_DIR'>): AnalyticsTarget {
  return env.CLICKHOUSE_URL ? { url: env.CLICKHOUSE_URL } : { path: resolve(env.REVO_DATA_DIR, 'clickhouse') };
}

/** The embedded store is held by another process (chDB opens a folder in one process at a time). */
export class AnalyticsBusyError extends Error {
  override readonly name = 'AnalyticsBusyError';
}

/** The folder is held by another process (`pid` when known): what to do instead. */
const busy = (target: AnalyticsTarget, pid?: number) =>
  new AnalyticsBusyError(
    `the analytics folder ${target.path} is open in another process (${pid === undefined ? '' : `pid ${pid}; `}a running reVo server?); ` +
      'ask that server (GraphQL `analytics`), stop it, or set REVO_DATA_DIR / CLICKHOUSE_URL',
  );

/** chDB lets one process at a time open a data folder; say so plainly when another holds it. */
function explain(error: unknown, target: AnalyticsTarget): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (
    !target.url &&
    /CANNOT_OPEN_FILE|lock|Resource temporarily unavailable|already in use|Failed to create connection/i.test(message)
  ) {
    return busy(target);
  }
  return new Error(`analytics unavailable (${describeTarget(target)}): ${message}`);
}

/**
 * Analytics for one process: run events into ClickHouse through a batching, spilling sink; the
 * named queries; the selector's history and the workflow predictor read back from the same data.
 */
export async function createAnalyticsService(
  env: Pick<Env, 'CLICKHOUSE_URL' | 'REVO_DATA_DIR' | 'REVO_CLOUD_PRICE_PER_1K'>,
  agents: readonly AgentProfile[],
  log: (line: string) => void = () => {},
) {
  const target = analyticsTarget(env);
  // Asked first: chDB refused would also print its own error to stderr.
  const holder = target.path ? await folderHolder(target.path) : undefined;
  if (holder !== undefined) throw busy(target, holder);
  let client: ReturnType<typeof createAnalyticsClient>;
  try {
    client = createAnalyticsClient(target);
  } catch (error) {
    throw explain(error, target);
  }
  try {
    await migrate(client);
  } catch (error) {
    await client.close().catch(() => {});
    throw explain(error, target);
  }
  const context = createRowContext(agents);
  const sink = createEventSink(client, {
    spillDir: resolve(env.REVO_DATA_DIR, 'spill'),
    context,
    onError: (error, during) => log(`analytics ${during}: ${error.message}`),
  });
  const history = createClickHouseHistory(client);
  const categorise = (task: string) => selectAgents(task, agents).chosen[0] ?? '';
  const predictor = createHistoryPredictor({
    categorise,
    loadHistory: async () => {
      // Flushed first, so the runs that just finished are in what it learns from.
      await sink.flush();
      const runs = await runQuery(client, 'workflow-history', {});
      const agents = [...(await history.snapshot())].map(([agent, h]) => ({
        agent,
        trials: h.trials,
        successes: h.successes,
      }));
      return { runs, agents };
    },
  });
  return {
    target,
    describe: describeTarget(target),
    client,
    sink,
    history,
    predictor,
    categorise,
    /** Hands a run event to the sink (cheap; the write happens later); feedback refreshes history. */
    record(event: RunEvent) {
      sink.push(event);
      if (event.type === 'feedback.given' || event.type === 'workflow.completed' || event.type === 'workflow.failed') {
        history.invalidate();
      }
      if (
        event.type === 'workflow.completed' ||
        event.type === 'workflow.failed' ||
        event.type === 'workflow.cancelled'
      ) {
        predictor.runFinished();
      }
    },
    query<N extends QueryName>(name: N, params?: QueryParams<N>): Promise<QueryRow<N>[]> {
      const withPrice =
        name === 'local-share'
          ? ({ cloud_price_per_1k: env.REVO_CLOUD_PRICE_PER_1K, ...(params ?? {}) } as QueryParams<N>)
          : params;
      return runQuery(client, name, withPrice);
    },
    async close() {
      await sink.close();
      await client.close();
    },
  };
}

export type AnalyticsService = Awaited<ReturnType<typeof createAnalyticsService>>;
