import { randomUUID } from 'node:crypto';
import type { PersistedActor } from '@revo/actors';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type RedisClient, connectRedis } from '../adapters/redis/redis-client';
import { createRedisRunStore } from '../adapters/redis/redis-run-store';
import {
  type OllamaChatRequestBody,
  type OllamaTestServer,
  type RecordedRequest,
  startOllamaTestServer,
} from '../testing/ollama-test-server';
import { describeWithRedis } from '../testing/redis-server';
import { type ServerProcess, startServerProcess } from '../testing/server-process';
import { gql } from '../testing/test-server';

/** Every general-tier agent answers on this model; the reasoning tier (only `security` here) on the held one. */
const GENERAL = 'llama3.1:8b';
const HELD = 'qwen2.5:7b';
const HELD_STEP = 'review';
const DEADLINE_MS = 30_000;

/** A DAG of six steps: a fan-out, a join on the held step, and a fan-out after it. */
const plan = {
  steps: [
    { id: 'design', agent: 'performance', instruction: 'Outline a token-bucket rate limiter', dependsOn: [] },
    { id: 'docs', agent: 'documenter', instruction: 'Document the limiter settings', dependsOn: ['design'] },
    { id: 'rollout', agent: 'deployer', instruction: 'Plan the rollout of the limiter', dependsOn: ['design'] },
    {
      id: HELD_STEP,
      agent: 'security',
      instruction: 'Review the limiter for bypasses',
      dependsOn: ['docs', 'rollout'],
    },
    { id: 'bench', agent: 'performance', instruction: 'Benchmark the reviewed limiter', dependsOn: [HELD_STEP] },
    { id: 'guide', agent: 'documenter', instruction: 'Write the operator guide', dependsOn: [HELD_STEP] },
  ],
};
const STEP_IDS = plan.steps.map((s) => s.id);

/** The step a chat request works on, read from the step prompt (`Your step (<id>): ...`). */
function stepOf(body: unknown): string | undefined {
  const messages = (body as OllamaChatRequestBody | undefined)?.messages ?? [];
  for (const message of messages) {
    const found = /Your step \(([^)]+)\)/.exec(String(message.content));
    if (found) return found[1];
  }
  return undefined;
}

const answerOf = (step: string) => `scripted answer of ${step}`;
const reply = (body: OllamaChatRequestBody) => {
  const step = stepOf(body) ?? 'unknown';
  return JSON.stringify({ answer: answerOf(step), position: `done ${step}`, confidence: 0.9, rationale: 'scripted' });
};
const isChat = (r: RecordedRequest) => r.method === 'POST' && r.path === '/api/chat';

/** Resolves with `check()`'s first defined value, polling until `DEADLINE_MS`, else fails naming `what`. */
async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${DEADLINE_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface WorkflowView {
  status: string;
  steps: { id: string; status: string; answer: { answer: string; model: string } | null }[];
  usage: { calls: number };
  events: { seq: number; type: string }[];
}

async function workflow(server: ServerProcess, runId: string): Promise<WorkflowView> {
  const result = await gql<{ workflow: WorkflowView }>(
    server.url,
    `query ($runId: ID!) {
      workflow(runId: $runId) {
        status
        steps { id status answer { answer model } }
        usage { calls }
        events { seq type }
      }
    }`,
    { runId },
  );
  if (!result.data?.workflow) throw new Error(`workflow query failed: ${JSON.stringify(result.errors)}`);
  return result.data.workflow;
}

const statusOf = (view: WorkflowView) => Object.fromEntries(view.steps.map((s) => [s.id, s.status]));

describeWithRedis('revo serve restarted on the same Redis', (redis) => {
  let ollama: OllamaTestServer;
  let client: RedisClient;
  let prefix: string;
  const servers: ServerProcess[] = [];

  beforeEach(async () => {
    ollama = await startOllamaTestServer({
      models: { [GENERAL]: { reply }, [HELD]: { reply, failure: { kind: 'hang' } } },
    });
    client = await connectRedis(redis().url);
    prefix = `restart-${randomUUID().slice(0, 8)}:`;
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.kill('SIGKILL')));
    await client.close();
    await ollama.close();
  });

  /** The Ollama test server is the only model: no offline fallback, no model planner. */
  const settings = () => ({
    REDIS_URL: redis().url,
    REVO_REDIS_PREFIX: prefix,
    OLLAMA_BASE_URL: ollama.url,
    REVO_OFFLINE: '0',
    REVO_OFFLINE_FALLBACK: '0',
    REVO_PLANNER: 'offline',
    REVO_MODELS_GENERAL: `ollama:${GENERAL}`,
    REVO_MODELS_FAST: `ollama:${GENERAL}`,
    REVO_MODELS_REASONING: `ollama:${HELD}`,
    REVO_TIMEOUT_MS: '60000',
  });

  const start = async () => {
    const server = await startServerProcess(settings());
    servers.push(server);
    return server;
  };

  /** The persisted root actor of `runId` as the next start will read it. */
  const persisted = async (runId: string): Promise<PersistedActor | undefined> =>
    (await createRedisRunStore(client, { prefix }).loadActors()).find((actor) => actor.id === runId);

  /**
   * Starts the workflow and returns once the held step's request reached the model and the store
   * holds the run with every step before it succeeded and the held one running: the moment to stop.
   */
  async function runUntilHeld(server: ServerProcess): Promise<{ runId: string; held: RecordedRequest }> {
    const started = await gql<{ runWorkflow: { runId: string } }>(
      server.url,
      'mutation ($task: String!, $plan: PlanInput!) { runWorkflow(task: $task, plan: $plan) { runId } }',
      { task: 'Ship a rate limiter for the public API', plan },
    );
    const runId = started.data?.runWorkflow.runId;
    if (!runId) throw new Error(`runWorkflow failed: ${JSON.stringify(started.errors)}`);
    const held = await until(`the request of step ${HELD_STEP}`, () =>
      ollama.requests.find((r) => isChat(r) && stepOf(r.body) === HELD_STEP),
    );
    const before = { design: 'SUCCEEDED', docs: 'SUCCEEDED', rollout: 'SUCCEEDED', [HELD_STEP]: 'RUNNING' };
    await until('the earlier steps to succeed', async () => {
      const steps = statusOf(await workflow(server, runId));
      return Object.entries(before).every(([id, status]) => steps[id] === status) ? true : undefined;
    });
    await until('the store to hold the earlier steps as succeeded', async () => {
      const saved = await persisted(runId);
      const steps = (saved?.snapshot as { context?: { steps?: Record<string, { status: string }> } })?.context?.steps;
      return Object.entries(before).every(([id, status]) => steps?.[id]?.status === status.toLowerCase())
        ? true
        : undefined;
    });
    return { runId, held };
  }

  /** Waits for COMPLETED on `server` and asserts that nothing was bought twice or lost. */
  async function expectCompletedOnce(server: ServerProcess, runId: string, held: RecordedRequest) {
    const done = await until('the workflow to complete', async () => {
      const view = await workflow(server, runId);
      if (view.status === 'FAILED' || view.status === 'CANCELLED') throw new Error(JSON.stringify(view));
      return view.status === 'COMPLETED' ? view : undefined;
    });
    expect(done.steps.map((s) => [s.id, s.status, s.answer?.answer, s.answer?.model])).toEqual(
      STEP_IDS.map((id) => [id, 'SUCCEEDED', answerOf(id), id === HELD_STEP ? `ollama:${HELD}` : `ollama:${GENERAL}`]),
    );

    // The rule: every step's prompt is answered by the model exactly once. The held step's first
    // request was cut when the server stopped (aborted, never answered), so it is sent once more;
    // every other step is asked exactly once, before or after the restart, never both.
    const chats = ollama.requests.filter(isChat);
    const outcomes = await Promise.all(chats.map(async (r) => [stepOf(r.body), await r.outcome] as const));
    const asked = Object.fromEntries(
      STEP_IDS.map((id) => [id, outcomes.filter(([step]) => step === id).map(([, outcome]) => outcome)]),
    );
    expect(await held.outcome).toBe('aborted');
    expect(asked).toEqual(
      Object.fromEntries(STEP_IDS.map((id) => [id, id === HELD_STEP ? ['aborted', 'completed'] : ['completed']])),
    );
    const answered = outcomes.filter(([, outcome]) => outcome === 'completed').length;
    expect(answered).toBe(STEP_IDS.length);
    expect(done.usage.calls).toBe(answered);

    // Nothing lost, nothing told twice: seq runs 1..n without a gap, each step started and
    // completed once, and the run completed once.
    const seqs = done.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const count = (type: string) => done.events.filter((e) => e.type === type).length;
    expect(count('step.started')).toBe(STEP_IDS.length);
    expect(count('step.completed')).toBe(STEP_IDS.length);
    expect(count('workflow.completed')).toBe(1);
    expect(done.events.at(-1)?.type).toBe('workflow.completed');
    // Finished runs are not restored again.
    await until('the finished run to leave the store of live actors', async () =>
      (await persisted(runId)) === undefined ? true : undefined,
    );
  }

  it('completes a workflow after a SIGKILL mid-run, asking no step twice and losing no event', async () => {
    const first = await start();
    const { runId, held } = await runUntilHeld(first);

    expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await held.outcome).toBe('aborted');
    ollama.script(HELD, { reply });

    const second = await start();
    expect(second.stderr()).toContain('restored 1 workflows and 0 conversations');
    await expectCompletedOnce(second, runId, held);
  }, 90_000);

  it('keeps live runs on SIGTERM (exit 0) and finishes them after the next start', async () => {
    const first = await start();
    const { runId, held } = await runUntilHeld(first);

    expect(await first.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(first.stderr()).toContain('SIGTERM: shutting down (live runs are kept for the next start)');
    expect(first.stderr()).toContain('stopped');
    expect(await held.outcome).toBe('aborted');
    ollama.script(HELD, { reply });

    const second = await start();
    expect(second.stderr()).toContain('restored 1 workflows and 0 conversations');
    await expectCompletedOnce(second, runId, held);
  }, 90_000);
});
