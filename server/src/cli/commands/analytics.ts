import { parseArgs } from 'node:util';
import { type RunEvent, builtinAgents } from '@revo/actors';
import { QUERY_NAMES, type QueryName, namedQuery } from '@revo/analytics/queries';
import { z } from 'zod';
import type { Env } from '../../env';
import { AnalyticsBusyError, type AnalyticsService, createAnalyticsService } from '../../runtime/analytics-service';
import { loadAgents } from '../../runtime/create-runtime';
import { InputError } from '../../runtime/start-workflow';
import type { CliIo } from '../cli-io';

const USAGE = `usage: npm run revo -- analytics <query> [--since <when>] [--json] [--cloud-price <usd per 1k tokens>]
       npm run revo -- analytics import <events.jsonl>
queries: ${QUERY_NAMES.join(', ')}
--since: an ISO date (2026-11-01), or a span back from now (7d, 12h, 30m); default 30d`;

/** `--since` as a date: an ISO date or time, or a span back from now (`7d`, `12h`, `30m`). */
export function parseSince(text: string, now = Date.now()): Date {
  const span = /^(\d+)\s*([dhm])$/.exec(text.trim());
  if (span) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[span[2] as 'd' | 'h' | 'm'];
    return new Date(now - Number(span[1]) * unit);
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime()))
    throw new InputError(`--since "${text}" is neither a date (2026-11-01) nor a span (7d)`);
  return date;
}

/** Rows as an aligned table; numbers rounded for reading, nulls as "–". */
export function formatTable(rows: Record<string, unknown>[]): string[] {
  if (rows.length === 0) return ['(no rows)'];
  const head = Object.keys(rows[0] as object);
  const cell = (v: unknown) =>
    v === null || v === undefined
      ? '–'
      : typeof v === 'number'
        ? Number.isInteger(v)
          ? String(v)
          : v.toFixed(Math.abs(v) < 1 ? 4 : 2)
        : Array.isArray(v)
          ? v.join(',')
          : String(v);
  const body = rows.map((r) => head.map((h) => cell(r[h])));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

/** What a line of an events file must hold (the rest of the event is kept as it is). */
const ImportedEvent = z
  .object({
    type: z.string().min(1),
    runId: z.string().min(1),
    seq: z.number().int().nonnegative(),
    at: z.union([
      z.number(),
      z.string().transform((s, ctx) => {
        const ms = Date.parse(s);
        if (Number.isNaN(ms)) ctx.addIssue({ code: 'custom', message: `"${s}" is not a date` });
        return ms;
      }),
    ]),
  })
  .passthrough();

/** Parses a JSONL file of run events; every bad line is named, and a bad file imports nothing. */
export function parseEventsFile(text: string): RunEvent[] {
  const events: RunEvent[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`line ${i + 1}: not JSON`);
      return;
    }
    const parsed = ImportedEvent.safeParse(value);
    if (parsed.success) events.push(parsed.data as unknown as RunEvent);
    else
      problems.push(
        `line ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'event'} ${x.message}`).join('; ')}`,
      );
  });
  if (problems.length > 0) {
    const more = problems.length > 10 ? `\n  ... and ${problems.length - 10} more` : '';
    throw new InputError(
      `the events file has ${problems.length} bad line(s); nothing was imported:\n  ${problems.slice(0, 10).join('\n  ')}${more}`,
    );
  }
  return events;
}

export async function analyticsCommand(args: string[], io: CliIo, env: Env): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { since: { type: 'string' }, json: { type: 'boolean' }, 'cloud-price': { type: 'string' } },
  });
  const [name, file] = positionals;
  if (!name) {
    io.err(USAGE);
    return 2;
  }
  if (name !== 'import' && !QUERY_NAMES.includes(name as QueryName)) {
    throw new InputError(`unknown query "${name}"\n${USAGE}`);
  }
  if (!env.REVO_ANALYTICS) throw new InputError('analytics is off (REVO_ANALYTICS=0)');
  const events = name === 'import' ? parseEventsFile(await readEvents(file, io)) : [];
  const agents = env.REVO_AGENTS_FILE ? await loadAgents(env.REVO_AGENTS_FILE) : [...builtinAgents];
  let analytics: AnalyticsService;
  try {
    analytics = await createAnalyticsService(env, agents, io.err);
  } catch (error) {
    // A running server holds the embedded store: ask it instead.
    if (!(error instanceof AnalyticsBusyError) || name === 'import') throw error;
    const rows = await askServer(env, name as QueryName, parseSince(values.since ?? '30d'), error);
    if (values.json) io.out(JSON.stringify(rows));
    else {
      io.err(`${name}: ${namedQuery(name as QueryName).description} (asked the running server)`);
      for (const line of formatTable(rows)) io.out(line);
    }
    return 0;
  }
  try {
    if (name === 'import') {
      for (const event of events) analytics.sink.push(event);
      await analytics.sink.flush();
      const stats = analytics.sink.stats();
      io.err(`imported ${events.length} events (${stats.rowsWritten} rows) into ${analytics.describe}`);
      if (stats.pendingSpilledBatches > 0)
        io.err(`${stats.pendingSpilledRows} rows wait in the spill folder for ClickHouse`);
      return 0;
    }
    const query = name as QueryName;
    const cloudPrice = values['cloud-price'] === undefined ? undefined : Number(values['cloud-price']);
    if (cloudPrice !== undefined && !(cloudPrice >= 0)) throw new InputError('--cloud-price is a non-negative number');
    const rows = await analytics.query(query, {
      since: parseSince(values.since ?? '30d'),
      ...(query === 'local-share' && cloudPrice !== undefined ? { cloud_price_per_1k: cloudPrice } : {}),
    } as never);
    if (values.json) io.out(JSON.stringify(rows));
    else {
      io.err(`${query}: ${namedQuery(query).description} (${analytics.describe})`);
      for (const line of formatTable(rows as Record<string, unknown>[])) io.out(line);
    }
    return 0;
  } finally {
    await analytics.close();
  }
}

async function readEvents(file: string | undefined, io: CliIo): Promise<string> {
  if (!file) throw new InputError('usage: npm run revo -- analytics import <events.jsonl> (or - for standard input)');
  try {
    return file === '-' ? await io.readStdin() : await io.readFile(file);
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** The GraphQL field and row type of each named query the API serves. */
const API_FIELDS: Partial<Record<QueryName, [field: string, type: string]>> = {
  'agent-performance': ['agentPerformance', 'AgentPerformance'],
  'agent-specialisation': ['agentSpecialisation', 'AgentSpecialisation'],
  'cost-breakdown': ['costBreakdown', 'CostByAgentModel'],
  'local-share': ['localShare', 'LocalShare'],
  trends: ['trends', 'DailyTrend'],
  'workflow-success-by-shape': ['workflowSuccessByShape', 'WorkflowShapeSuccess'],
  conflicts: ['conflicts', 'ConflictOutcome'],
};

/** Runs a named query through the local server's GraphQL API (same rows as the SQL gives). */
async function askServer(env: Env, name: QueryName, since: Date, busy: Error): Promise<Record<string, unknown>[]> {
  const api = API_FIELDS[name];
  if (!api) throw new InputError(`${busy.message}\n(the API does not serve "${name}"; stop the server to run it here)`);
  const url = `http://127.0.0.1:${env.PORT}/graphql`;
  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(env.REVO_API_TOKEN ? { authorization: `Bearer ${env.REVO_API_TOKEN}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    }).catch(() => {
      throw new InputError(`${busy.message}\n(no server answers at ${url} either)`);
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
    if (!body.data) throw new Error(`the server at ${url} refused: ${body.errors?.map((e) => e.message).join('; ')}`);
    return body.data;
  };
  const [field, type] = api;
  const shape = (await post('query($t: String!) { __type(name: $t) { fields { name } } }', { t: type })) as {
    __type: { fields: { name: string }[] } | null;
  };
  const columns = shape.__type?.fields.map((f) => f.name).join(' ') ?? '';
  const data = (await post(`query($s: Timestamp) { analytics(since: $s) { ${field} { ${columns} } } }`, {
    s: since.toISOString(),
  })) as { analytics: Record<string, unknown> };
  const rows = data.analytics[field];
  return Array.isArray(rows) ? rows : rows ? [rows as Record<string, unknown>] : [];
}
