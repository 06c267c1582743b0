import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunEvent, builtinAgents } from '@revo/actors';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RedisClient, connectRedis } from '../adapters/redis/redis-client';
import { describeWithRedis } from '../testing/redis-server';
import { type AnalyticsRecorder, createAnalyticsStreamWriter, startIngester } from './analytics-stream';
import { type AnalyticsService, createAnalyticsService } from './analytics-service';

const usage = { calls: 1, localCalls: 1, offlineCalls: 0, tokensIn: 10, tokensOut: 20, costUsd: 0, latencyMs: 5 };

/** A small failed run: six events, one row each. */
function run(runId: string): RunEvent[] {
  const base = { runId, stepId: 's1', agent: 'architect' };
  return [
    { type: 'workflow.created', runId, task: 'Design a queue', mode: 'workflow' },
    { ...base, type: 'step.started', attempt: 1 },
    { ...base, type: 'agent.attempt.started', model: 'qwen', attempt: 1 },
    { ...base, type: 'agent.token', delta: 'x' },
    { ...base, type: 'agent.failed', error: 'boom' },
    { ...base, type: 'step.failed', error: 'boom' },
    { type: 'workflow.failed', runId, error: 'boom', usage },
  ].map((body, n) => ({ ...body, seq: n + 1, at: 1_700_000_000_000 + n }) as RunEvent);
}
const stored = (events: RunEvent[]) => events.filter((e) => e.type !== 'agent.token');

describeWithRedis('analytics stream into ClickHouse (chDB embedded)', (server) => {
  const dir = mkdtempSync(join(tmpdir(), 'revo-analytics-stream-'));
  let service: AnalyticsService;
  let client: RedisClient;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    service = await createAnalyticsService(
      { REVO_DATA_DIR: dir, CLICKHOUSE_URL: undefined, REVO_CLOUD_PRICE_PER_1K: 0.00625 },
      builtinAgents,
    );
    client = await connectRedis(server().url, { onError: () => {} });
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    client?.destroy();
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const recorder: () => AnalyticsRecorder = () => ({
    record: (event) => service.record(event),
    flush: () => service.sink.flush(),
  });

  async function rows(runPrefix: string): Promise<{ rows: number; ids: number }> {
    const result = await service.client.query({
      query: 'SELECT count() AS rows, uniqExact(event_id) AS ids FROM run_events WHERE startsWith(run_id, {p:String})',
      query_params: { p: runPrefix },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ rows: string; ids: string }>();
    return { rows: Number(row?.rows), ids: Number(row?.ids) };
  }

  it('writes each stored event once: a re-published duplicate adds no row', async () => {
    const p = 'ch1:';
    const events = ['a', 'b', 'c'].flatMap((r) => run(`${p}${r}`));
    const writer = createAnalyticsStreamWriter(client, { prefix: p });
    for (const event of events) writer.append(event);
    // After a takeover, run b's successor publishes its last three events again.
    for (const event of run(`${p}b`).slice(-3)) writer.append({ ...event, at: 9 });
    await writer.flush();
    const ingester = startIngester(client, recorder(), { prefix: p, consumer: 'one', blockMs: 100, batch: 7 });
    stops.push(() => ingester.stop());
    await ingester.idle();
    expect(await rows(p)).toEqual({ rows: stored(events).length, ids: stored(events).length });
    expect(ingester.stats()).toMatchObject({ recorded: 18, duplicates: 3 });
  });

  it('writes a batch once when its ingester died after the flush and before the ack', async () => {
    const p = 'ch2:';
    const events = ['a', 'b'].flatMap((r) => run(`${p}${r}`));
    const writer = createAnalyticsStreamWriter(client, { prefix: p });
    for (const event of events) writer.append(event);
    await writer.flush();
    const name = `dying-${p}`;
    const mortal = createClient({ url: server().url, name, socket: { reconnectStrategy: false } }) as RedisClient;
    mortal.on('error', () => {});
    await mortal.connect();
    let written!: () => void;
    const flushed = new Promise<void>((resolve) => {
      written = resolve;
    });
    // Its batch reaches ClickHouse; then the process dies before it can ack.
    const dying: AnalyticsRecorder = {
      record: (event) => service.record(event),
      flush: async () => {
        await service.sink.flush();
        written();
        await new Promise(() => {});
      },
    };
    startIngester(mortal, dying, { prefix: p, consumer: 'dying', batch: 5, blockMs: 100 });
    await flushed;
    expect(await rows(p)).toEqual({ rows: 5, ids: 5 });
    const list = String(await client.sendCommand(['CLIENT', 'LIST']));
    for (const m of list.matchAll(/^id=(\d+) .* name=(\S*) /gm)) {
      if (m[2] === name) await client.sendCommand(['CLIENT', 'KILL', 'ID', m[1] as string]);
    }
    const heir = startIngester(client, recorder(), {
      prefix: p,
      consumer: 'heir',
      batch: 50,
      blockMs: 100,
      reclaimMs: 200,
    });
    stops.push(() => heir.stop());
    await heir.idle();
    // The heir records the dead one's five again, as the same insert: ClickHouse keeps one copy.
    expect(heir.stats()).toMatchObject({ reclaimed: 5, recorded: 12 });
    expect(await rows(p)).toEqual({ rows: 12, ids: 12 });
  });
});
