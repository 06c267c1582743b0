import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunEvent, builtinAgents, selectAgents } from '@revo/actors';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnalyticsClient } from './clickhouse';
import { createEventSink } from './event-sink';
import { createClickHouseHistory } from './history-port';
import { migrate } from './migrate';
import { createRowContext } from './row-context';

const dir = mkdtempSync(join(tmpdir(), 'revo-history-'));
const client = createAnalyticsClient({ path: join(dir, 'ch') });
afterAll(async () => {
  await client.close();
  rmSync(dir, { recursive: true, force: true });
});

const TASK = 'Improve the checkout page';
const usage = {
  model: 'offline:revo-offline',
  provider: 'offline' as const,
  local: true,
  tokensIn: 10,
  tokensOut: 10,
  costUsd: 0,
  latencyMs: 5,
};

/** One run in which `agent` did the task's work as one step, and succeeded or failed at it. */
function run(n: number, agent: string, ok: boolean): RunEvent[] {
  const runId = `h-${agent}-${n}`;
  const at = Date.now() - 60_000 + n;
  const step = { runId, stepId: 's', agent };
  const events = [
    { type: 'workflow.created', runId, task: TASK, mode: 'workflow' },
    {
      type: 'workflow.planned',
      runId,
      plan: { steps: [{ id: 's', agent, instruction: TASK, dependsOn: [] }], rationale: '', planner: 'offline' },
    },
    ok
      ? {
          type: 'step.completed',
          ...step,
          answer: { answer: 'done', position: 'done', confidence: 0.8, rationale: '', flag: 'none', usage },
        }
      : { type: 'step.failed', ...step, error: 'broke the page' },
    ok
      ? {
          type: 'workflow.completed',
          runId,
          answer: 'done',
          usage: { calls: 1, localCalls: 1, offlineCalls: 1, tokensIn: 10, tokensOut: 10, costUsd: 0, latencyMs: 5 },
        }
      : {
          type: 'workflow.failed',
          runId,
          error: 'x',
          usage: { calls: 1, localCalls: 1, offlineCalls: 1, tokensIn: 10, tokensOut: 10, costUsd: 0, latencyMs: 5 },
        },
  ];
  return events.map((e, i) => ({ ...e, at: at + i, seq: i + 1 }) as unknown as RunEvent);
}

describe('the selector learns from outcomes in ClickHouse', () => {
  it('stops picking an agent that keeps failing at a kind of work, and picks one that succeeds', async () => {
    await migrate(client);
    const history = createClickHouseHistory(client, { ttlMs: 0 });
    const before = selectAgents(TASK, builtinAgents, { history: await history.snapshot() });
    const [first, second] = before.ranking.map((r) => r.agent as string);
    expect(first).toBe('code-generator');

    const sink = createEventSink(client, { spillDir: join(dir, 'spill'), context: createRowContext(builtinAgents) });
    for (let n = 0; n < 12; n++) {
      for (const event of run(n, first as string, false)) sink.push(event);
      for (const event of run(n, second as string, true)) sink.push(event);
    }
    await sink.close();

    const learned = await history.snapshot();
    expect(learned.get(first as string)).toMatchObject({ trials: 12, successes: 0 });
    expect(Object.values(learned.get(second as string)?.byCapability ?? {})).toEqual([{ trials: 12, successes: 12 }]);
    const after = selectAgents(TASK, builtinAgents, { history: learned });
    expect(after.chosen[0]).toBe(second);
    expect(after.ranking.find((r) => r.agent === first)?.why).toMatch(/history on .+ 0\/12 successes/);
  });
});
