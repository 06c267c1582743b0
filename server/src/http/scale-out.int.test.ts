import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinAgents } from '@revo/actors';
import { createAnalyticsClient } from '@revo/analytics';
import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { type RedisClient, connectRedis } from '../adapters/redis/redis-client';
import {
  type OllamaChatRequestBody,
  type OllamaTestServer,
  type RecordedRequest,
  startOllamaTestServer,
} from '../testing/ollama-test-server';
import { describeWithRedis } from '../testing/redis-server';
import { type ServerProcess, startServerProcess } from '../testing/server-process';
import { gql } from '../testing/test-server';

const MODEL = 'llama3.1:8b';
const WORKFLOWS = 200;
/** A fan-out and a join: three model calls per workflow. */
const plan = {
  steps: [
    { id: 'design', agent: 'architect', instruction: 'Outline the change', dependsOn: [] },
    { id: 'tests', agent: 'tester', instruction: 'List the tests it needs', dependsOn: [] },
    { id: 'summary', agent: 'documenter', instruction: 'Summarise design and tests', dependsOn: ['design', 'tests'] },
  ],
};
const CALLS_PER_WORKFLOW = plan.steps.length;

const stepOf = (body: OllamaChatRequestBody) =>
  body.messages.map((m) => /Your step \(([^)]+)\)/.exec(String(m.content))?.[1]).find(Boolean) ?? 'unknown';
/** A position the step's agent may take (the tester says pass, fail or not testable). */
const positionFor = (body: OllamaChatRequestBody) => {
  const agent = plan.steps.find((s) => s.id === stepOf(body))?.agent;
  return builtinAgents.find((a) => a.id === agent)?.positions?.[0] ?? `done ${stepOf(body)}`;
};
/** A request's identity: the same model, system and prompt is the same purchase. */
const identity = (body: OllamaChatRequestBody) => `${body.model}\n${body.messages.map((m) => m.content).join('\n')}`;

interface FeedItem {
  kind: 'SNAPSHOT' | 'EVENT';
  workflow: { status: string; seq: number } | null;
  event: { type: string; seq: number } | null;
}
const FEED = `subscription($id: ID!) { workflowEvents(runId: $id) { kind workflow { status seq } event { type seq } } }`;

/** One subscriber per workflow: what it saw, and a promise that resolves on the run's last event. */
function subscribe(client: Client, runId: string) {
  const items: FeedItem[] = [];
  let finished: () => void = () => {};
  let failed: (error: unknown) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  const end = new Set(['workflow.completed', 'workflow.failed', 'workflow.cancelled']);
  client.subscribe<{ workflowEvents: FeedItem }>(
    { query: FEED, variables: { id: runId } },
    {
      next: (result) => {
        if (result.errors) return failed(new Error(result.errors.map((e) => e.message).join('; ')));
        const item = result.data?.workflowEvents;
        if (!item) return failed(new Error('an empty feed item'));
        items.push(item);
        if (item.event && end.has(item.event.type)) finished();
        if (
          item.kind === 'SNAPSHOT' &&
          item.workflow &&
          item.workflow.status !== 'RUNNING' &&
          item.workflow.status !== 'PLANNED'
        )
          finished();
      },
      error: failed,
      complete: () => finished(),
    },
  );
  return { runId, items, done };
}

describeWithRedis('scale-out: 3 server replicas, 2 workers and an ingester on one Redis', (redis) => {
  let ollama: OllamaTestServer;
  let client: RedisClient;
  let dataDir: string;
  const processes: ServerProcess[] = [];
  const sockets: Client[] = [];
  const prefix = `scale-${randomUUID().slice(0, 8)}:`;

  beforeAll(async () => {
    ollama = await startOllamaTestServer({
      models: {
        [MODEL]: {
          reply: (body) =>
            JSON.stringify({ answer: `answer of ${stepOf(body)}`, position: positionFor(body), confidence: 0.9 }),
          pieceChars: 24,
          delayMs: 15,
        },
      },
    });
    client = await connectRedis(redis().url);
    dataDir = mkdtempSync(join(tmpdir(), 'revo-scale-'));
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()));
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await client?.close();
    await ollama?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const common = () => ({
    REDIS_URL: redis().url,
    REVO_REDIS_PREFIX: prefix,
    OLLAMA_BASE_URL: ollama.url,
    REVO_OFFLINE: '0',
    REVO_OFFLINE_FALLBACK: '0',
    REVO_PLANNER: 'offline',
    REVO_MODELS_GENERAL: `ollama:${MODEL}`,
    REVO_MODELS_FAST: `ollama:${MODEL}`,
    REVO_MODELS_REASONING: `ollama:${MODEL}`,
    // Short enough that takeover happens within the test, long enough that a live process starved of
    // CPU for a while (7 processes share 2 cores) keeps its leases and calls.
    REVO_LEASE_MS: '3000',
    REVO_CALL_RECLAIM_MS: '3000',
    REVO_ANALYTICS: '1',
    REVO_DATA_DIR: dataDir,
  });
  const start = async (role: string, id: string, extra: Record<string, string> = {}) => {
    const started = await startServerProcess(
      { ...common(), REVO_ROLES: role, REVO_REPLICA_ID: id, ...extra },
      { readyWithinMs: 60_000 },
    );
    processes.push(started);
    return started;
  };

  it('runs 200 workflows to completion through the loss of a replica and a worker', async () => {
    const servers = await Promise.all([0, 1, 2].map((i) => start('server', `server-${i}`)));
    const workers = await Promise.all([0, 1].map((i) => start('worker', `worker-${i}`, { REVO_WORKER_POOL: '8' })));
    const ingester = await start('ingester', 'ingester');
    // The workers make the model calls, so they say which models those are, as servers do.
    await vi.waitFor(
      () => {
        for (const worker of workers) expect(worker.stderr()).toContain(`models: Ollama at ${ollama.url} (`);
      },
      { timeout: 30_000 },
    );
    const [victim, ...survivors] = servers as [ServerProcess, ServerProcess, ServerProcess];
    // Two sockets per surviving replica (a socket holds at most 100 subscriptions).
    for (const server of [...survivors, ...survivors]) {
      sockets.push(
        createClient({ url: server.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 }),
      );
    }

    // Workflows are started on every replica in turn; each is watched from a replica that survives.
    const feeds: ReturnType<typeof subscribe>[] = [];
    for (let i = 0; i < WORKFLOWS; i++) {
      const server = servers[i % servers.length] as ServerProcess;
      const result = await gql<{ runWorkflow: { runId: string } }>(
        server.url,
        'mutation ($task: String!, $plan: PlanInput!) { runWorkflow(task: $task, plan: $plan) { runId } }',
        { task: `Add rate limiting to service #${i}`, plan },
      );
      const runId = result.data?.runWorkflow.runId;
      if (!runId) throw new Error(`runWorkflow failed: ${JSON.stringify(result.errors)}`);
      feeds.push(subscribe(sockets[i % sockets.length] as Client, runId));
    }

    // In the middle of the work: one replica and one worker die without a word.
    const completed = () => ollama.requests.filter((r) => r.path === '/api/chat').length;
    await vi.waitFor(
      () => {
        if (completed() < (WORKFLOWS * CALLS_PER_WORKFLOW) / 3) throw new Error(`${completed()} calls so far`);
      },
      { timeout: 60_000, interval: 20 },
    );
    // What the doomed worker had finished by the moment it dies; anything else of its was in flight.
    const settled = new Set<RecordedRequest>();
    for (const request of ollama.requests) void request.outcome.then(() => settled.add(request));
    await new Promise((resolve) => setImmediate(resolve));
    const finishedByVictim = new Set([...settled].filter((r) => r.headers['x-revo-replica'] === 'worker-0'));
    await Promise.all([victim.kill('SIGKILL'), (workers[0] as ServerProcess).kill('SIGKILL')]);

    await Promise.all(feeds.map((f) => f.done));

    // Every workflow completed, each step answered.
    const views = await Promise.all(
      feeds.map(async (f) => {
        const result = await gql<{
          workflow: { status: string; seq: number; usage: { calls: number }; events: { seq: number; type: string }[] };
        }>(
          (survivors[0] as ServerProcess).url,
          'query ($id: ID!) { workflow(runId: $id) { status seq usage { calls } events { seq type } } }',
          { id: f.runId },
        );
        return result.data?.workflow;
      }),
    );
    expect(views.filter((v) => v?.status !== 'COMPLETED')).toEqual([]);
    // The dead replica's runs were carried on by the others, the dead worker's calls by the other.
    expect(survivors.map((s) => s.stderr()).join('\n')).toMatch(/took over workflow run-/);
    const status = await fetch((workers[1] as ServerProcess).url.replace(/\/graphql$/, '/status'));
    expect(((await status.json()) as { worker: { reclaimed: number } }).worker.reclaimed).toBeGreaterThan(0);

    // No model call paid twice. A request the dead worker had in flight when it died may have
    // finished on the wire without the worker living to use it, and its call was then asked again;
    // apart from those, every distinct request got exactly one answer, and every step of every
    // workflow was answered by exactly one distinct request.
    const chats = ollama.requests.filter((r) => r.path === '/api/chat');
    const inFlightAtDeath = (r: RecordedRequest) =>
      r.headers['x-revo-replica'] === 'worker-0' && !finishedByVictim.has(r);
    const answers = new Map<string, RecordedRequest[]>();
    for (const r of chats) {
      if ((await r.outcome) !== 'completed') continue;
      const id = identity(r.body as OllamaChatRequestBody);
      answers.set(id, [...(answers.get(id) ?? []), r]);
    }
    const paidTwice = [...answers.values()].filter(
      (rs) => rs.length > 2 || rs.filter((r) => !inFlightAtDeath(r)).length > 1,
    );
    expect(paidTwice.map((rs) => identity(rs[0]?.body as OllamaChatRequestBody))).toEqual([]);
    expect(answers.size).toBe(views.reduce((sum, v) => sum + (v?.usage.calls ?? 0), 0));
    expect(answers.size).toBeGreaterThanOrEqual(WORKFLOWS * CALLS_PER_WORKFLOW);
    expect(new Set(chats.map((r) => r.headers['x-revo-replica']))).toEqual(new Set(['worker-0', 'worker-1']));

    // Every subscriber saw every event after its snapshot: no gap, nothing twice, the run's end last.
    for (const [i, feed] of feeds.entries()) {
      const log = views[i]?.events ?? [];
      const snapshot = feed.items.find((item) => item.kind === 'SNAPSHOT')?.workflow?.seq ?? 0;
      const seen = feed.items.flatMap((item) => (item.event && item.event.type !== 'agent.token' ? [item.event] : []));
      expect(seen.map((e) => e.seq)).toEqual(log.filter((e) => e.seq > snapshot).map((e) => e.seq));
      expect(seen.map((e) => e.type).sort()).toEqual(
        log
          .filter((e) => e.seq > snapshot)
          .map((e) => e.type)
          .sort(),
      );
      expect(log.map((e) => e.seq)).toEqual(log.map((_, n) => n + 1));
    }

    // A replica without the ingester cannot read its embedded ClickHouse, and says what to do.
    const asked = await gql((survivors[0] as ServerProcess).url, '{ analytics { agentPerformance { agent } } }');
    expect(asked.errors?.[0]).toMatchObject({
      extensions: { code: 'UNAVAILABLE' },
      message: expect.stringMatching(/ingester.*CLICKHOUSE_URL/),
    });

    // Analytics: once the ingester has drained the stream, ClickHouse holds every stored event once.
    const stream = `${prefix}analytics`;
    await vi.waitFor(
      async () => {
        const length = await client.xLen(stream);
        const pending = await client.xPending(stream, 'ingesters');
        if (length > 0 || pending.pending > 0) throw new Error(`${length} entries, ${pending.pending} pending`);
      },
      { timeout: 30_000, interval: 100 },
    );
    await ingester.kill('SIGTERM');
    const stored = views.reduce((sum, v) => sum + (v?.events.length ?? 0), 0);
    const clickhouse = createAnalyticsClient({ path: join(dataDir, 'clickhouse') });
    try {
      const [counts] = (await (
        await clickhouse.query({
          query:
            'SELECT count() AS rows, uniqExact(run_id, seq) AS events FROM run_events WHERE run_id IN {ids:Array(String)}',
          query_params: { ids: feeds.map((f) => f.runId) },
          format: 'JSONEachRow',
        })
      ).json()) as { rows: string; events: string }[];
      expect({ rows: Number(counts?.rows), events: Number(counts?.events) }).toEqual({ rows: stored, events: stored });
    } finally {
      await clickhouse.close();
    }
  }, 300_000);
});
