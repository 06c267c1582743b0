import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '@revo/actors';
import { createClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TSV_COLUMNS, tsvLine } from './batch-encoder';
import { type Batch, type BatchInsert, batchInsert } from './batch-insert';
import { createAnalyticsClient } from './clickhouse';
import { eventRows } from './event-row';
import { type EventSink, type EventSinkOptions, createEventSink } from './event-sink';
import { migrate } from './migrate';

// One chDB data folder per process: every test writes to its own copy of run_events instead.
const dir = mkdtempSync(join(tmpdir(), 'revo-sink-'));
const client = createAnalyticsClient({ path: join(dir, 'db') });
const sinks: EventSink[] = [];
let tables = 0;

beforeAll(async () => {
  await migrate(client);
});
afterAll(async () => {
  for (const sink of sinks) await sink.close();
  await client.close();
  rmSync(dir, { recursive: true, force: true });
});

async function freshTable(): Promise<string> {
  const table = `run_events_${++tables}`;
  await client.command({ query: `CREATE TABLE ${table} AS run_events` });
  return table;
}

const sinkOn = (options: Partial<EventSinkOptions> & { table: string }) => {
  const sink = createEventSink(client, { spillDir: join(dir, `spill-${options.table}`), ...options });
  sinks.push(sink);
  return sink;
};

async function counts(table: string): Promise<{ rows: number; ids: number }> {
  const result = await client.query({
    query: `SELECT count() AS rows, uniqExact(event_id) AS ids FROM ${table}`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ rows: string; ids: string }>();
  return { rows: Number(row?.rows), ids: Number(row?.ids) };
}

/** Polls until `table` holds `rows` rows, or fails after `ms`. */
async function waitForRows(table: string, rows: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await counts(table)).rows < rows) {
    if (Date.now() > deadline) throw new Error(`${table} did not reach ${rows} rows in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The real insert, made to fail like a server that is down, or to lose the answer to a done insert. */
function unreliable() {
  const state = { down: false, loseAcks: 0, malformed: false };
  const real = batchInsert(client);
  const insert: BatchInsert = async (table, batch) => {
    if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
    if (state.malformed) {
      const message = "Code: 27. DB::Exception: Cannot parse input: expected '\"' before: 'x'";
      throw Object.assign(new Error(message), { clickhouseCode: 27 });
    }
    await real(table, batch);
    if (state.loseAcks > 0) {
      state.loseAcks -= 1;
      throw new Error('socket hang up');
    }
  };
  return { insert, state };
}

const agents = ['architect', 'code-generator', 'documenter', 'tester', 'security-reviewer'];
const answer = 'Split the service along its read and write paths; keep a queue between them and measure p99.';

/** Realistic runs, about 20 events each: created, steps with usage, a two-round discussion, feedback. */
function sampleEvents(count: number, firstRun = 0): RunEvent[] {
  const out: RunEvent[] = [];
  for (let r = firstRun; out.length < count; r++) {
    const runId = `conv${r % 97}.t${r}`;
    let seq = 0;
    const add = (body: Record<string, unknown>) =>
      out.push({ runId, ...body, at: Date.UTC(2026, 10, 1) + r * 1000 + seq, seq: seq++ } as unknown as RunEvent);
    const usage = (k: number) => ({
      model: k % 3 ? 'ollama:qwen2.5:7b' : 'openai:gpt-4o-mini',
      provider: k % 3 ? 'ollama' : 'openai',
      local: k % 3 !== 0,
      tokensIn: 300 + (k % 700),
      tokensOut: 120 + (k % 400),
      costUsd: k % 3 ? 0 : 0.0004 * (k % 10),
      latencyMs: 200 + (k % 1500),
    });
    add({ type: 'workflow.created', task: `Review change #${r} to the billing service`, mode: 'workflow' });
    for (let s = 0; s < 3; s++) {
      const step = { stepId: `s${s}`, agent: agents[(r + s) % agents.length] };
      add({ type: 'step.started', ...step, attempt: 1 });
      add({ type: 'agent.attempt.started', ...step, model: 'ollama:qwen2.5:7b', attempt: 1 });
      add({ type: 'agent.token', ...step, delta: 'Split' });
      add({ type: 'agent.completed', ...step, usage: usage(r + s) });
      const position = s === 2 ? 'use postgres' : 'use sqlite';
      add({
        type: 'step.completed',
        ...step,
        answer: {
          answer,
          position,
          confidence: 0.7,
          rationale: 'Fewer moving parts.',
          flag: 'none',
          usage: usage(r + s),
        },
      });
    }
    const conflictId = `${runId}/c1`;
    add({
      type: 'conflict.detected',
      conflict: { id: conflictId, question: 'which database', steps: ['s0', 's2'], positions: [], status: 'open' },
    });
    for (let round = 1; round <= 2; round++) {
      add({ type: 'discussion.round.started', conflictId, round });
      const stances = [0, 1, 2].map((k) => ({
        agent: agents[(r + k) % agents.length],
        position: k === 2 && round === 1 ? 'use postgres' : 'use sqlite',
        confidence: 0.6 + k / 10,
        rationale: 'It is enough for now.',
        answer,
      }));
      add({ type: 'discussion.round.completed', conflictId, round: { round, stances } });
    }
    add({ type: 'discussion.resolved', conflictId, winner: 'use sqlite', resolution: 'consensus' });
    const totals = { calls: 3, localCalls: 2, offlineCalls: 0, tokensIn: 1500, tokensOut: 600, costUsd: 0.001 };
    add({ type: 'workflow.completed', answer, usage: { ...totals, latencyMs: 2400 } });
    add({
      type: 'feedback.given',
      feedbackId: `f${r}`,
      rating: r % 4 ? 'up' : 'down',
      comment: r % 4 ? '' : 'too slow',
    });
  }
  return out.slice(0, count);
}

const rowsOf = (events: readonly RunEvent[]) => events.reduce((sum, e) => sum + eventRows(e).length, 0);
const spillFiles = (spillDir: string) =>
  existsSync(spillDir) ? readdirSync(spillDir).filter((f) => f.endsWith('.jsonl')) : [];

describe('event sink on the real ClickHouse engine (chDB)', () => {
  it('writes a burst of 50,000 events, every row once', async () => {
    const table = await freshTable();
    const sink = sinkOn({ table });
    const events = sampleEvents(50_000);
    for (const event of events) sink.push(event);
    await sink.flush();
    const expected = rowsOf(events);
    expect(await counts(table)).toEqual({ rows: expected, ids: expected });
    expect(sink.stats()).toMatchObject({ eventsPushed: 50_000, rowsWritten: expected, pendingSpilledRows: 0 });
    expect(sink.stats().batchesWritten).toBeGreaterThanOrEqual(Math.ceil(expected / 50_000));
  });

  it('writes a few events within the flush interval, without being flushed', async () => {
    const table = await freshTable();
    const sink = sinkOn({ table, flushIntervalMs: 100 });
    const events = sampleEvents(5);
    for (const event of events) sink.push(event);
    await waitForRows(table, rowsOf(events));
    expect(sink.stats().batchesWritten).toBe(1);
  });

  it('spills while ClickHouse is down, keeps taking events, and replays them once it is back', async () => {
    const table = await freshTable();
    const { insert, state } = unreliable();
    const spillDir = join(dir, 'spill-outage');
    const sink = sinkOn({ insert, table, spillDir, maxBatchRows: 500, maxAttempts: 3, retryDelayMs: 5 });
    const before = sampleEvents(2000);
    for (const event of before) sink.push(event);
    await sink.flush();

    state.down = true;
    const during = sampleEvents(3000, 1000);
    for (const event of during) sink.push(event);
    await sink.flush();
    expect(await counts(table)).toEqual({ rows: rowsOf(before), ids: rowsOf(before) });
    expect(sink.stats()).toMatchObject({ unavailable: true, pendingSpilledRows: rowsOf(during), droppedRows: 0 });
    expect(sink.stats().retries).toBeGreaterThan(0);
    expect(spillFiles(spillDir).length).toBeGreaterThan(0);

    state.down = false;
    await sink.flush();
    const all = rowsOf(before) + rowsOf(during);
    expect(await counts(table)).toEqual({ rows: all, ids: all });
    expect(sink.stats()).toMatchObject({ unavailable: false, pendingSpilledBatches: 0 });
    expect(spillFiles(spillDir)).toEqual([]);
  });

  it('writes a batch once when its insert succeeded but the answer was lost and it was sent again', async () => {
    const table = await freshTable();
    const { insert, state } = unreliable();
    const sink = sinkOn({ insert, table, retryDelayMs: 5 });
    state.loseAcks = 2;
    const events = sampleEvents(300);
    for (const event of events) sink.push(event);
    await sink.flush();
    expect(sink.stats().retries).toBe(2);
    expect(await counts(table)).toEqual({ rows: rowsOf(events), ids: rowsOf(events) });
  });

  it('replays on start what an earlier process spilled, and once only when a crash repeats the replay', async () => {
    // run_events itself, so the rollup (agent_daily) is checked too.
    const spillDir = join(dir, 'spill-crash');
    const { insert, state } = unreliable();
    state.down = true;
    const first = createEventSink(client, { insert, spillDir, maxBatchRows: 400, maxAttempts: 1 });
    const events = sampleEvents(4000, 5000);
    for (const event of events) first.push(event);
    await first.close();
    const spilled = first.stats();
    expect(spilled.pendingSpilledRows).toBe(rowsOf(events));
    // A crash tore the last batch of the segment while it was appended.
    const [segment] = spillFiles(spillDir);
    appendFileSync(
      join(spillDir, segment as string),
      '{"token":"torn","rows":2,"bytes":1800}\n{"event_id":"torn/1","run_id":"to',
    );
    cpSync(spillDir, `${spillDir}-copy`, { recursive: true });

    const second = sinkOn({ table: 'run_events', spillDir });
    await waitForRows('run_events', rowsOf(events));
    await second.flush();
    expect(second.stats()).toMatchObject({ replayedBatches: spilled.spilledBatches, pendingSpilledBatches: 0 });

    // The same files again, as if the process had died after the inserts but before it removed them.
    rmSync(spillDir, { recursive: true, force: true });
    cpSync(`${spillDir}-copy`, spillDir, { recursive: true });
    const third = sinkOn({ table: 'run_events', spillDir });
    await third.flush();
    expect(third.stats().replayedBatches).toBe(spilled.spilledBatches);
    expect(await counts('run_events')).toEqual({ rows: rowsOf(events), ids: rowsOf(events) });
    const steps = events.filter((e) => e.type === 'step.completed' || e.type === 'step.failed').length;
    const rollup = await client.query({
      query: 'SELECT countMerge(steps) AS n FROM agent_daily',
      format: 'JSONEachRow',
    });
    expect(Number((await rollup.json<{ n: string }>())[0]?.n)).toBe(steps);
  });

  it('sets aside a batch ClickHouse refuses as malformed instead of retrying it for ever', async () => {
    const table = await freshTable();
    const { insert, state } = unreliable();
    const spillDir = join(dir, 'spill-malformed');
    const sink = sinkOn({ insert, table, spillDir });
    state.malformed = true;
    for (const event of sampleEvents(10)) sink.push(event);
    await sink.flush();
    state.malformed = false;
    const events = sampleEvents(10, 10);
    for (const event of events) sink.push(event);
    await sink.flush();
    expect(sink.stats()).toMatchObject({
      rejectedBatches: 1,
      retries: 0,
      unavailable: false,
      pendingSpilledBatches: 0,
    });
    expect(readdirSync(join(spillDir, 'rejected'))).toHaveLength(1);
    expect((await counts(table)).rows).toBe(rowsOf(events));
  });

  it('inserts through the plain client API too (as to a server), its token in the statement, not the session', async () => {
    // The same engine behind a connection without chDB's raw insert: the path a ClickHouse server takes.
    const connection = (client as unknown as { connection: Record<string | symbol, unknown> }).connection;
    const plain = new Proxy(connection, {
      get: (target, key) => {
        const value = key === 'chdb' ? undefined : Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const viaApi = createClient({ connection: plain } as unknown as Parameters<typeof createClient>[0]);
    const table = await freshTable();
    const real = batchInsert(viaApi);
    let lost = 1;
    const insert: BatchInsert = async (into, batch) => {
      await real(into, batch);
      if (lost-- > 0) throw new Error('socket hang up');
    };
    const sink = sinkOn({ table, insert, retryDelayMs: 5 });
    const events = sampleEvents(200);
    for (const event of events) sink.push(event);
    await sink.flush();
    expect(await counts(table)).toEqual({ rows: rowsOf(events), ids: rowsOf(events) });
    // Bug pinned: a token given as clickhouse_settings stays SET on chDB's session, and this insert would vanish.
    const [row] = eventRows(sampleEvents(1, 999_999)[0] as RunEvent);
    await viaApi.insert({ table, values: [row], format: 'JSONEachRow' });
    expect((await counts(table)).rows).toBe(rowsOf(events) + 1);
  });

  it('takes a burst of 100,000 events without the caller waiting: push only queues, the work comes later', async () => {
    const table = await freshTable();
    const sink = sinkOn({ table });
    const events = sampleEvents(100_000, 20_000);
    for (const event of events) sink.push(event);
    // Nothing was encoded or written while the caller pushed (speed itself is measured by the bench).
    expect(sink.stats()).toMatchObject({ eventsPushed: 100_000, queuedEvents: 100_000, rowsWritten: 0 });
    await sink.flush();
    expect((await counts(table)).rows).toBe(rowsOf(events));
  });

  it('stores TabSeparated rows exactly as JSONEachRow ones, awkward strings and times included, on every path', async () => {
    const awkward = 'tab\there, line\nbreak, cr\r, back\\slash \\t, quote\' "dq", émoji 🦀, nul\u0000, \\N';
    const events = sampleEvents(60).map((event, n) =>
      n % 7 === 3
        ? ({ ...event, type: 'feedback.given', feedbackId: 'f', rating: 'down', comment: awkward } as RunEvent)
        : ({ ...event, at: event.at + n * 37 } as RunEvent),
    );
    const rows = events.flatMap((event) => eventRows(event));
    const asJson: Batch = {
      token: 'json',
      rows: rows.length,
      body: Buffer.from(rows.map((row) => `${JSON.stringify(row)}\n`).join('')),
    };
    const tsv = Buffer.from(rows.map((row) => `${tsvLine(row)}\n`).join(''));
    // In chunks, as the encoder hands them over, cut mid-line and mid-character.
    const chunked = [tsv.subarray(0, 1001), tsv.subarray(1001, 5003), tsv.subarray(5003)];
    expect(tsv.length).toBeGreaterThan(5003);
    const asTsv = (token: string): Batch => ({
      token,
      rows: rows.length,
      body: chunked,
      format: 'TabSeparated',
      columns: TSV_COLUMNS,
    });
    const plainApi = createClient({
      connection: new Proxy((client as unknown as { connection: object }).connection, {
        get: (target, key) => {
          const value = key === 'chdb' ? undefined : Reflect.get(target, key);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
    } as unknown as Parameters<typeof createClient>[0]);
    const tables = [await freshTable(), await freshTable(), await freshTable(), await freshTable()];
    await batchInsert(client)(tables[0] as string, asJson);
    await batchInsert(client, { stagingDir: join(dir, 'staging') })(tables[1] as string, asTsv('staged'));
    await batchInsert(client)(tables[2] as string, asTsv('inline'));
    await batchInsert(plainApi)(tables[3] as string, asTsv('http'));
    const contents = async (table: string) => {
      const result = await client.query({
        query: `SELECT * FROM ${table} ORDER BY event_id`,
        format: 'JSONEachRow',
      });
      return result.json();
    };
    const expected = await contents(tables[0] as string);
    expect(expected).toHaveLength(rows.length);
    expect(JSON.stringify(expected)).toContain(JSON.stringify(awkward).slice(1, -1));
    for (const table of tables.slice(1)) expect(await contents(table)).toEqual(expected);
    expect(readdirSync(join(dir, 'staging'))).toEqual([]);
  });

  it('replays a spill file written before batches were TabSeparated (heads without a format)', async () => {
    const table = await freshTable();
    const spillDir = join(dir, 'spill-v1');
    mkdirSync(spillDir, { recursive: true });
    const events = sampleEvents(100, 7000);
    const body = Buffer.from(
      events
        .flatMap((event) => eventRows(event))
        .map((row) => `${JSON.stringify(row)}\n`)
        .join(''),
    );
    const head = JSON.stringify({ token: 'v1batch', rows: rowsOf(events), bytes: body.length });
    writeFileSync(join(spillDir, 'run-events-00000001.jsonl'), Buffer.concat([Buffer.from(`${head}\n`), body]));
    const sink = sinkOn({ table, spillDir });
    await sink.flush();
    expect(sink.stats()).toMatchObject({ replayedBatches: 1, pendingSpilledBatches: 0, rejectedBatches: 0 });
    expect(await counts(table)).toEqual({ rows: rowsOf(events), ids: rowsOf(events) });
  });
});
