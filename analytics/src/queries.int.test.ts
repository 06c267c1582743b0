import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunEvent, type Usage, addUsage, emptyTotals } from '@revo/actors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyticsClient } from './clickhouse';
import { eventRows } from './event-row';
import { migrate } from './migrate';
import {
  QUERIES_DIR,
  QUERY_NAMES,
  type QueryName,
  type QueryParams,
  namedQueries,
  namedQuery,
  runQuery,
  toClickHouseTime,
} from './queries';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1, 10);
const SINCE = '2026-05-01 00:00:00';

type Call = Omit<Usage, 'latencyMs'>;
const usage = (model: string, provider: Usage['provider'], tokensIn: number, tokensOut: number, costUsd: number) =>
  ({ model, provider, local: provider === 'ollama', tokensIn, tokensOut, costUsd }) satisfies Call;
const claude = usage('claude-sonnet', 'anthropic', 2000, 1000, 0.5);
const gpt = usage('gpt-4o-mini', 'openai', 1000, 500, 0.25);
const qwen = usage('qwen2.5-coder:7b', 'ollama', 1000, 500, 0);
const llama = usage('llama3.1:8b', 'ollama', 400, 100, 0);
const revision = usage('gpt-4o-mini', 'openai', 100, 100, 0.125);

const AGENT = { a: 'architect', g: 'code-generator', t: 'tester' } as const;
type Key = keyof typeof AGENT;
type Answer = { call: Call; ms: number; onlyStepEvent?: true };
type Step = Answer | 'failed';

/** One run: `plan` is `id<dep,dep` words; a round is each side's position, in opening order, `|`-separated. */
interface Spec {
  mode: 'single' | 'workflow';
  category: string;
  plan: string;
  steps: Partial<Record<Key, Step>>;
  conflict?: {
    openings: Partial<Record<Key, string>>;
    rounds: string[];
    resolved?: 'consensus' | 'vote';
    decided?: string;
  };
  ratings?: [rating: 'up' | 'down', step?: Key][];
  outcome?: 'completed' | 'failed' | 'cancelled';
}

/** A run's events, as the core publishes them; the run ends `durationMs` after it starts. */
function runEvents(runId: string, start: number, durationMs: number, spec: Spec): RunEvent[] {
  const events: RunEvent[] = [];
  let totals = emptyTotals();
  // Synthetic events with plain (unbranded) ids: shaped like RunEvent, not built through its schemas.
  const emit = (body: Record<string, unknown>, at = start + events.length) =>
    events.push({ runId, ...body, at, seq: events.length + 1 } as unknown as RunEvent);
  const answered = (call: Call, latencyMs: number) => {
    const full = { ...call, latencyMs };
    totals = addUsage(totals, full);
    return full;
  };
  emit({ type: 'workflow.created', task: `${spec.category}: task`, mode: spec.mode });
  const steps = spec.plan.split(' ').map((word) => {
    const [id = '', deps = ''] = word.split('<');
    return { id, agent: AGENT[id as Key], instruction: id, dependsOn: deps ? deps.split(',') : [] };
  });
  emit({ type: 'workflow.planned', plan: { steps, rationale: '', planner: 'offline' } });
  for (const [stepId, step] of Object.entries(spec.steps) as [Key, Step][]) {
    const ref = { stepId, agent: AGENT[stepId] };
    emit({ type: 'step.started', ...ref, attempt: 1 });
    if (step === 'failed') {
      emit({ type: 'agent.failed', ...ref, error: 'no model answered' });
      emit({ type: 'step.failed', ...ref, error: 'no model answered' });
      continue;
    }
    const used = answered(step.call, step.ms);
    if (!step.onlyStepEvent) emit({ type: 'agent.completed', ...ref, usage: used });
    const answer = { answer: '', position: 'done', confidence: 0.8, rationale: '', flag: 'none' };
    emit({ type: 'step.completed', ...ref, answer: { ...answer, usage: used } });
  }
  if (spec.conflict) {
    const { openings, rounds, resolved, decided } = spec.conflict;
    const sides = Object.entries(openings) as [Key, string][];
    const positions = sides.map(([step, position]) => ({ agent: AGENT[step], step, position }));
    const conflict = { id: 'c1', question: 'which?', steps: sides.map(([s]) => s), positions, status: 'open' };
    emit({ type: 'conflict.detected', conflict: { ...conflict, rounds: [], tally: [] } });
    rounds.forEach((round, n) => {
      emit({ type: 'discussion.round.started', conflictId: 'c1', round: n + 1 });
      const stances = round.split('|').map((position, k) => {
        const agent = positions[k]?.agent ?? '';
        const stepId = `c1.r${n + 1}.${agent}`;
        emit({ type: 'agent.completed', stepId, agent, usage: answered(revision, 300) });
        return { agent, position, confidence: 0.7, rationale: '', answer: '' };
      });
      emit({ type: 'discussion.round.completed', conflictId: 'c1', round: { round: n + 1, stances } });
    });
    const winner = rounds.at(-1)?.split('|')[0];
    if (resolved) emit({ type: 'discussion.resolved', conflictId: 'c1', winner, resolution: resolved });
    else emit({ type: 'discussion.escalated', conflictId: 'c1', tally: [] });
    if (decided) emit({ type: 'conflict.decided', conflictId: 'c1', position: decided, by: 'ana' });
  }
  for (const [rating, step] of spec.ratings ?? []) {
    const on = step ? { stepId: step, agent: AGENT[step] } : {};
    emit({ type: 'feedback.given', feedbackId: `fb-${events.length}`, ...on, rating, comment: '' });
  }
  const detail = { completed: { answer: '' }, failed: { error: 'x' }, cancelled: { reason: 'x' } };
  if (spec.outcome)
    emit({ type: `workflow.${spec.outcome}`, ...detail[spec.outcome], usage: totals }, start + durationMs);
  return events;
}

// A history with known answers. Runs r01-r05 on 2026-06-01 (workflow mode, category design),
// r06-r10 on 2026-06-02 (single mode, category coding); run i lasts i x 10 s. code-generator (g)
// completes r01-r08 in 100..800 ms and fails r09, r10; its r08 answer has no agent.completed (a
// producer that only publishes step events). architect (a) completes r01-r05 in 1000..5000 ms;
// tester (t) completes r01, r04, r05 in 50, 150, 250 ms. Conflicts: r01 consensus after a round
// (g moves to a's position), r02 a vote after two rounds (a wins), r03 escalated and decided for
// g, r04 escalated and never decided (the run is cancelled); every round costs each side a
// revision (gpt-4o-mini, $0.125). r11 is unfinished, r00 too old.
const a = (i: number): Answer => ({ call: claude, ms: i * 1000 });
const g = (i: number): Answer => ({ call: [1, 2, 6, 7].includes(i) ? qwen : gpt, ms: i * 100 });
const t = (ms: number): Answer => ({ call: llama, ms });
const design = { mode: 'workflow', category: 'design', plan: 't<a,g a g', outcome: 'completed' } as const;
const coding = { mode: 'single', category: 'coding', plan: 'g', outcome: 'completed' } as const;
const specs: Spec[] = [
  {
    ...design,
    steps: { a: a(1), g: g(1), t: t(50) },
    conflict: {
      openings: { a: 'use postgres', g: 'use mongodb' },
      rounds: ['use postgres|use postgres'],
      resolved: 'consensus',
    },
    ratings: [
      ['up', 'a'],
      ['up', 'g'],
    ],
  },
  {
    ...design,
    steps: { a: a(2), g: g(2), t: 'failed' },
    conflict: {
      openings: { a: 'use postgres', g: 'use mongodb' },
      rounds: ['use postgres|use mongodb', 'use postgres|use mongodb'],
      resolved: 'vote',
    },
    ratings: [['up', 'g']],
  },
  {
    ...design,
    steps: { a: a(3), g: g(3), t: 'failed' },
    conflict: { openings: { a: 'use kafka', g: 'use nats' }, rounds: ['use kafka|use nats'], decided: 'use nats' },
  },
  {
    ...design,
    outcome: 'cancelled',
    steps: { a: a(4), g: g(4), t: t(150) },
    conflict: { openings: { a: 'use rest', t: 'use grpc' }, rounds: [] },
  },
  { ...design, plan: 't<g g<a a', steps: { a: a(5), g: g(5), t: t(250) }, ratings: [['down']] },
  { ...coding, steps: { g: g(6) } },
  { ...coding, steps: { g: g(7) } },
  { ...coding, steps: { g: { ...g(8), onlyStepEvent: true } } },
  { ...coding, outcome: 'failed', steps: { g: 'failed' }, ratings: [['down', 'g']] },
  { ...coding, outcome: 'cancelled', steps: { g: 'failed' } },
];
const capabilities: Record<string, string> = { a: 'system-design', t: 'testing' };

function historyRows() {
  const events = [
    ...specs.flatMap((spec, n) =>
      runEvents(
        `r${String(n + 1).padStart(2, '0')}`,
        T0 + (n < 5 ? 0 : DAY) + (n + 1) * 60_000,
        (n + 1) * 10_000,
        spec,
      ),
    ),
    ...runEvents('r11', T0 + DAY + 11 * 60_000, 0, { ...coding, outcome: undefined, steps: {} }),
    ...runEvents('r00', Date.UTC(2025, 0, 1), 1000, { ...coding, outcome: 'failed', steps: { g: 'failed' } }),
  ];
  const context = {
    categorise: (task: string) => task.split(':')[0] ?? '',
    capabilityOf: (runId: string, stepId: string) =>
      stepId === 'g' ? (runId <= 'r05' ? 'code-generation' : 'refactoring') : (capabilities[stepId] ?? ''),
  };
  // The real row context forgets a run's plan when it ends: ratings, given later, carry no capability.
  return events
    .flatMap((e) => eventRows(e, context))
    .map((row) => (row.type === 'feedback.given' ? { ...row, capability: '' } : row));
}

/** Rows from a header of column names and one array of values per row. */
const table = (columns: string, ...rows: unknown[][]) =>
  rows.map((values) => Object.fromEntries(columns.split(' ').map((c, i) => [c, values[i]])));

const dir = mkdtempSync(join(tmpdir(), 'revo-queries-'));
const client = createAnalyticsClient({ path: dir });
beforeAll(async () => {
  await migrate(client);
  await client.insert({ table: 'run_events', values: historyRows(), format: 'JSONEachRow' });
});
afterAll(async () => {
  await client.close();
  rmSync(dir, { recursive: true, force: true });
});

const query = <N extends QueryName>(name: N, params?: QueryParams<N>) =>
  runQuery(client, name, params ?? ({ since: SINCE } as QueryParams<N>));

describe('named queries on the real ClickHouse engine (chDB)', () => {
  it('agent-performance: success, exact latency quantiles, step cost per run, satisfaction, discussions won and joined', async () => {
    expect(await query('agent-performance')).toEqual(
      table(
        'agent runs steps successRate p50LatencyMs p95LatencyMs costUsd costPerTask ratings satisfaction discussions prevailed movedToConsensus',
        ['architect', 5, 5, 1, 3000, 5000, 2.5, 0.5, 1, 1, 3, 2 / 3, 0],
        ['code-generator', 10, 10, 0.8, 500, 800, 1, 0.1, 3, 2 / 3, 3, 1 / 3, 1 / 3],
        ['tester', 5, 5, 0.6, 150, 250, 0, 0, 0, null, 0, null, null],
      ),
    );
  });

  it('agent-specialisation: steps and success rate per agent and task category', async () => {
    expect(await query('agent-specialisation')).toEqual(
      table(
        'agent taskCategory runs steps completed successRate stepShare',
        ['architect', 'design', 5, 5, 5, 1, 1],
        ['code-generator', 'coding', 5, 5, 3, 0.6, 0.5],
        ['code-generator', 'design', 5, 5, 5, 1, 0.5],
        ['tester', 'design', 5, 5, 3, 0.6, 1],
      ),
    );
  });

  it('cost-breakdown: one call per answer (a step publishes it twice), discussion revisions included', async () => {
    const rows = table(
      'agent model provider local calls tokensIn tokensOut costUsd',
      ['architect', 'claude-sonnet', 'anthropic', false, 5, 10_000, 5_000, 2.5],
      ['code-generator', 'gpt-4o-mini', 'openai', false, 8, 4_400, 2_400, 1.5],
      ['architect', 'gpt-4o-mini', 'openai', false, 4, 400, 400, 0.5],
      ['code-generator', 'qwen2.5-coder:7b', 'ollama', true, 4, 4_000, 2_000, 0],
      ['tester', 'llama3.1:8b', 'ollama', true, 3, 1_200, 300, 0],
    );
    expect(await query('cost-breakdown')).toEqual(
      rows.map((r: any) => ({ ...r, tokens: r.tokensIn + r.tokensOut, costShare: r.costUsd / 4.5 })),
    );
  });

  it('local-share: the share of local answers and the money saved at the bound cloud price', async () => {
    const [row] = await query('local-share', { since: SINCE, cloud_price_per_1k: 0.5 });
    expect(row).toEqual({
      calls: 24,
      localCalls: 7,
      localShare: 7 / 24,
      tokens: 30_100,
      localTokens: 7_500,
      costUsd: 4.5,
      cloudEquivalentUsd: (30_100 * 0.5) / 1000,
      savedUsd: (7_500 * 0.5) / 1000,
    });
    const [atDefault] = await query('local-share', { since: SINCE });
    expect(atDefault?.cloudEquivalentUsd).toBeCloseTo((30_100 * 0.002) / 1000, 12);
  });

  it('trends: runs per day by outcome, steps from agent_daily, cost and local share of answers, conflicts', async () => {
    expect(await query('trends')).toEqual(
      table(
        'day runs completed failed cancelled successRate steps stepSuccessRate calls costUsd localShare conflicts escalations',
        ['2026-06-01', 5, 4, 0, 1, 1, 15, 13 / 15, 21, 4.25, 5 / 21, 4, 2],
        ['2026-06-02', 5, 3, 1, 1, 0.75, 5, 0.6, 3, 0.25, 2 / 3, 0, 0],
      ),
    );
  });

  it('workflow-success-by-shape: depth and width of the planned DAG in any step order, success per shape', async () => {
    expect(await query('workflow-success-by-shape')).toEqual(
      table(
        'mode shape stepsBucket depth width runs completed failed cancelled successRate avgDurationMs',
        ['single', 'single', '1', 1, 1, 5, 3, 1, 1, 0.75, 80_000],
        ['workflow', 'dag', '2-3', 2, 2, 4, 3, 0, 1, 1, 25_000],
        ['workflow', 'chain', '2-3', 3, 1, 1, 1, 0, 0, 1, 50_000],
      ),
    );
  });

  it('conflicts: count, share and mean rounds per resolution kind, and escalations', async () => {
    expect(await query('conflicts')).toEqual(
      table(
        'resolution conflicts share avgRounds escalated',
        ['consensus', 1, 0.25, 1, 0],
        ['human', 1, 0.25, 1, 1],
        ['undecided', 1, 0.25, 0, 1],
        ['vote', 1, 0.25, 2, 0],
      ),
    );
  });

  it('agent-history: trials and successes per capability, ratings as outcomes, discussions won', async () => {
    expect(await query('agent-history')).toEqual(
      table(
        'agent capability trials successes discussions prevailed',
        ['architect', 'system-design', 6, 6, 3, 2],
        ['code-generator', 'code-generation', 7, 7, 3, 1],
        ['code-generator', 'refactoring', 6, 3, 0, 0],
        ['tester', 'testing', 5, 3, 0, 0],
      ),
    );
  });

  it('workflow-history: one row per finished run with timing, outcome, cost, plan, agents and models', async () => {
    const rows = await query('workflow-history');
    const recent = await query('workflow-history', { since: SINCE, limit: 3 });
    expect(recent.map((r) => r.run_id)).toEqual(rows.slice(-3).map((r) => r.run_id));
    expect(rows.map((r) => r.run_id)).toEqual(['r01', 'r02', 'r03', 'r04', 'r05', 'r06', 'r07', 'r08', 'r09', 'r10']);
    expect(rows.map((r) => r.durationMs)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => i * 10_000));
    expect(rows[0]).toEqual({
      run_id: 'r01',
      created_at: T0 + 60_000,
      ended_at: T0 + 70_000,
      durationMs: 10_000,
      outcome: 'completed',
      costUsd: 0.5 + 2 * 0.125,
      tokens: 3000 + 1500 + 500 + 2 * 200,
      mode: 'workflow',
      task_category: 'design',
      plan: expect.any(String),
      agents: ['architect', 'code-generator', 'tester'],
      models: ['claude-sonnet', 'gpt-4o-mini', 'llama3.1:8b', 'qwen2.5-coder:7b'],
    });
    expect(JSON.parse(rows[0]?.plan ?? '').steps.map((s: { id: string }) => s.id)).toEqual(['t', 'a', 'g']);
    expect(rows.slice(7).map(({ outcome, costUsd, agents, models }) => [outcome, costUsd, agents, models])).toEqual([
      ['completed', 0.25, ['code-generator'], ['gpt-4o-mini']],
      ['failed', 0, ['code-generator'], []],
      ['cancelled', 0, ['code-generator'], []],
    ]);
  });

  it('reads nothing before since: the 2025 run shows only in a wider window', async () => {
    const runs = (await query('workflow-history')).map((r) => r.run_id);
    const wider = (await query('workflow-history', { since: '2024-01-01' })).map((r) => r.run_id);
    expect(wider).toEqual(['r00', ...runs]);
    expect(await query('agent-performance', { since: new Date(T0 + 2 * DAY) })).toEqual([]);
  });
});

describe('the named query registry', () => {
  it('has one .sql file per name, each naming its parameters and columns in its header', () => {
    const files = readdirSync(QUERIES_DIR).filter((f) => f.endsWith('.sql'));
    expect(files.sort()).toEqual(QUERY_NAMES.map((n) => `${n}.sql`).sort());
    for (const name of QUERY_NAMES) {
      const sql = readFileSync(join(QUERIES_DIR, namedQuery(name).file), 'utf8');
      const header = sql
        .split('\n')
        .filter((line) => line.startsWith('--'))
        .join('\n');
      expect(header.startsWith(`-- ${name}:`)).toBe(true);
      for (const param of Object.keys(namedQueries[name].params.shape)) expect(header).toContain(`--   ${param} `);
      for (const column of Object.keys(namedQueries[name].row.shape)) expect(header).toContain(`--   ${column} `);
    }
  });

  it('defaults since to 30 days ago and the cloud price to 0.002', () => {
    const bound = namedQuery('local-share').params.parse({});
    expect(bound.cloud_price_per_1k).toBe(0.002);
    const since = Date.parse(`${bound.since.replace(' ', 'T')}Z`);
    expect(Math.abs(since - (Date.now() - 30 * DAY))).toBeLessThan(60_000);
    expect(toClickHouseTime(new Date(T0))).toBe('2026-06-01 10:00:00.000');
  });

  it('refuses an unknown query, listing the names, and parameters that are not what they say', async () => {
    await expect(runQuery(client, 'nope' as QueryName)).rejects.toThrow(
      /unknown query "nope"; the named queries are: agent-performance, agent-specialisation, /,
    );
    await expect(query('trends', { since: "2026-01-01' OR 1=1 --" })).rejects.toThrow(/query "trends".*since/s);
    await expect(query('local-share', { since: SINCE, cloud_price: 1 } as never)).rejects.toThrow(/cloud_price/);
  });
});
