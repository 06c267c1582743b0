import { randomUUID } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
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

/** Six steps: a fan-out, a join on the held step, and a fan-out after it. */
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
/** Where the run stands when the server is stopped. */
const AT_STOP = { design: 'succeeded', docs: 'succeeded', rollout: 'succeeded', [HELD_STEP]: 'running' };

/** The step a chat request works on, read from its step prompt (`Your step (<id>): ...`). */
function stepOf(body: unknown): string | undefined {
  for (const message of (body as OllamaChatRequestBody | undefined)?.messages ?? []) {
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

/** A pass-through to `target` where the first `/api/chat` request of each of `steps` waits for `open(step)`. */
async function startGate(target: string, steps: string[]) {
  const gates = new Map(
    steps.map((step) => {
      let open: () => void = () => {};
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      return [step, { opened, open }] as const;
    }),
  );
  const holding = new Set<string>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const upstream = new AbortController();
    res.once('close', () => upstream.abort());
    try {
      const step = req.url === '/api/chat' ? stepOf(JSON.parse(body.toString())) : undefined;
      const gate = step === undefined ? undefined : gates.get(step);
      if (step !== undefined && gate) {
        holding.add(step);
        await gate.opened;
        holding.delete(step);
      }
      if (upstream.signal.aborted) return;
      const answer = await fetch(`${target}${req.url}`, {
        method: req.method ?? 'GET',
        headers: { 'content-type': 'application/json' },
        ...(body.length > 0 ? { body } : {}),
        signal: upstream.signal,
      });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      if (answer.body) await pipeline(Readable.fromWeb(answer.body as ReadableStream<Uint8Array>), res);
      else res.end();
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Whether a request of `step` is waiting at the gate now. */
    isHolding: (step: string) => holding.has(step),
    open: (step: string) => gates.get(step)?.open(),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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

const isAtStop = (steps: Record<string, { status: string } | undefined> | undefined) =>
  Object.entries(AT_STOP).every(([id, status]) => steps?.[id]?.status === status) ? true : undefined;

describeWithRedis('revo serve restarted on the same Redis', (redis) => {
  let ollama: OllamaTestServer;
  let client: RedisClient;
  let prefix: string;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    ollama = await startOllamaTestServer({
      models: { [GENERAL]: { reply }, [HELD]: { reply, failure: { kind: 'hang' } } },
    });
    client = await connectRedis(redis().url);
    prefix = `restart-${randomUUID().slice(0, 8)}:`;
  });

  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
    await client.close();
    await ollama.close();
  });

  /** The Ollama test server is the only model: no offline fallback, no model planner. */
  const start = async (settings: Record<string, string> = {}) => {
    const server = await startServerProcess({
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
      // The same replica restarting: it takes its previous life's leases at once, and its worker
      // takes over the calls the dead one held after REVO_CALL_RECLAIM_MS.
      REVO_REPLICA_ID: 'restart-replica',
      REVO_CALL_RECLAIM_MS: '1000',
      ...settings,
    });
    cleanups.push(() => server.kill('SIGKILL'));
    return server;
  };

  /** The persisted root actor of `runId`, as the next start will read it. */
  const persisted = async (runId: string): Promise<PersistedActor | undefined> =>
    (await createRedisRunStore(client, { prefix }).loadActors()).find((actor) => actor.id === runId);
  const persistedSteps = async (runId: string) =>
    ((await persisted(runId))?.snapshot as { context?: { steps?: Record<string, { status: string }> } } | undefined)
      ?.context?.steps;

  /**
   * Starts the workflow; returns once `heldArrived()` says the held step's request reached the
   * model and both the API and the store show the earlier steps succeeded and the held one running.
   */
  async function runUntilHeld(server: ServerProcess, heldArrived: () => boolean | undefined): Promise<string> {
    const started = await gql<{ runWorkflow: { runId: string } }>(
      server.url,
      'mutation ($task: String!, $plan: PlanInput!) { runWorkflow(task: $task, plan: $plan) { runId } }',
      { task: 'Ship a rate limiter for the public API', plan },
    );
    const runId = started.data?.runWorkflow.runId;
    if (!runId) throw new Error(`runWorkflow failed: ${JSON.stringify(started.errors)}`);
    await until(`the request of step ${HELD_STEP}`, () => heldArrived() || undefined);
    await until('the API to show the earlier steps succeeded', async () => {
      const view = await workflow(server, runId);
      return isAtStop(Object.fromEntries(view.steps.map((s) => [s.id, { status: s.status.toLowerCase() }])));
    });
    await until('the store to hold the earlier steps as succeeded', async () => isAtStop(await persistedSteps(runId)));
    return runId;
  }
  const heldRequest = () => ollama.requests.find((r) => isChat(r) && stepOf(r.body) === HELD_STEP);

  /**
   * Waits for COMPLETED on `server` and asserts that nothing was bought twice or lost. `asked` is
   * what became of each request the model got for the held step (the others were asked once).
   */
  async function expectCompletedOnce(server: ServerProcess, runId: string, asked: ('completed' | 'aborted')[]) {
    const done = await until('the workflow to complete', async () => {
      const view = await workflow(server, runId);
      if (view.status === 'FAILED' || view.status === 'CANCELLED') throw new Error(JSON.stringify(view));
      return view.status === 'COMPLETED' ? view : undefined;
    });
    expect(done.steps.map((s) => [s.id, s.status, s.answer?.answer, s.answer?.model])).toEqual(
      STEP_IDS.map((id) => [id, 'SUCCEEDED', answerOf(id), `ollama:${id === HELD_STEP ? HELD : GENERAL}`]),
    );

    // The rule: every step's prompt is answered by the model exactly once, across both servers.
    // A request cut by the stop (aborted, never answered) is sent again after the restart; every
    // other step is asked exactly once, before or after the restart, never both.
    const chats = ollama.requests.filter(isChat);
    const outcomes = await Promise.all(chats.map(async (r) => [stepOf(r.body), await r.outcome] as const));
    expect(
      Object.fromEntries(STEP_IDS.map((id) => [id, outcomes.filter(([step]) => step === id).map(([, o]) => o)])),
    ).toEqual(Object.fromEntries(STEP_IDS.map((id) => [id, id === HELD_STEP ? asked : ['completed']])));
    const answered = outcomes.filter(([, outcome]) => outcome === 'completed').length;
    expect(answered).toBe(STEP_IDS.length);
    expect(done.usage.calls).toBe(answered);

    // Nothing lost, nothing told twice: seq runs 1..n without a gap, every step started and
    // completed once, the run completed once and last.
    const seqs = done.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const count = (type: string) => done.events.filter((e) => e.type === type).length;
    expect(count('step.started')).toBe(STEP_IDS.length);
    expect(count('step.completed')).toBe(STEP_IDS.length);
    expect(count('workflow.completed')).toBe(1);
    expect(done.events.at(-1)?.type).toBe('workflow.completed');
    // A finished run is no longer among the actors the next start restores.
    await until('the finished run to leave the live actors', async () =>
      (await persisted(runId)) === undefined ? true : undefined,
    );
  }

  it("completes a workflow after a SIGKILL mid-run, buying no step's answer twice and losing no event", async () => {
    const first = await start();
    const runId = await runUntilHeld(first, () => heldRequest() !== undefined);

    expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await heldRequest()?.outcome).toBe('aborted');
    ollama.script(HELD, { reply });

    const second = await start();
    expect(second.stderr()).toContain('restored 1 workflows and 0 conversations');
    await expectCompletedOnce(second, runId, ['aborted', 'completed']);
  }, 90_000);

  it('keeps live runs on SIGTERM (exit 0) and finishes them after the next start', async () => {
    const first = await start();
    const runId = await runUntilHeld(first, () => heldRequest() !== undefined);

    expect(await first.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(first.stderr()).toContain(
      'SIGTERM: shutting down (live runs are kept for the next start or another replica)',
    );
    expect(first.stderr()).toMatch(/\nstopped\n$/);
    expect(await heldRequest()?.outcome).toBe('aborted');
    ollama.script(HELD, { reply });

    const second = await start();
    expect(second.stderr()).toContain('restored 1 workflows and 0 conversations');
    await expectCompletedOnce(second, runId, ['aborted', 'completed']);
  }, 90_000);

  /**
   * Runs to the held step, then lets the first server write only the keys under `writable` (after
   * the prefix) and what hands model calls to its worker (`call*`) while it goes on, and kills it once the journal holds the replies of every step
   * but `guide` (held at the gate, so the run cannot finish there): what it did besides those
   * writes is lost, as in a crash right after them. Returns once a second server restored the run.
   */
  async function crashWritingOnly(writable: string[]) {
    ollama.script(HELD, { reply });
    const gate = await startGate(ollama.url, [HELD_STEP, 'guide']);
    cleanups.push(gate.close);
    // The first server logs in as its own Redis user, so the test can take its rights away.
    const user = `revo-${prefix.slice(0, -1)}`;
    const password = randomUUID();
    await client.sendCommand(['ACL', 'SETUSER', user, 'on', `>${password}`, '~*', '&*', '+@all']);
    cleanups.push(() => client.sendCommand(['ACL', 'DELUSER', user]));
    const url = new URL(redis().url);
    url.username = user;
    url.password = password;
    const first = await start({ REDIS_URL: url.toString(), OLLAMA_BASE_URL: gate.url });
    const runId = await runUntilHeld(first, () => gate.isHolding(HELD_STEP));

    const keys = writable.map((name) => `~${prefix}${name}*`);
    await client.sendCommand(['ACL', 'SETUSER', user, 'resetkeys', ...keys, '%R~*']);
    gate.open(HELD_STEP);
    const recorded = STEP_IDS.filter((id) => id !== 'guide');
    await until('the journal to hold the replies of every step but guide', async () =>
      (await client.keys(`${prefix}journal:*`)).length === recorded.length && gate.isHolding('guide')
        ? true
        : undefined,
    );
    expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(first.stderr()).toContain('NOPERM');
    // What the second server restores: the run as it was when the held step's request went out.
    expect(await persistedSteps(runId)).toMatchObject(
      Object.fromEntries(Object.entries(AT_STOP).map(([id, status]) => [id, { status }])),
    );
    expect(ollama.requests.filter(isChat).map((r) => stepOf(r.body))).toEqual(expect.arrayContaining(recorded));
    expect(ollama.requests.filter(isChat)).toHaveLength(recorded.length);

    const second = await start();
    expect(second.stderr()).toContain('restored 1 workflows and 0 conversations');
    return { second, runId };
  }

  it('replays the replies recorded before a SIGKILL instead of asking the model again', async () => {
    // The first server may write the journal and nothing else: every reply it gets is recorded and
    // all it did with them is lost, as in a crash right after each journal write. The second
    // server replays them and asks the model only for guide, whose request never got through.
    const { second, runId } = await crashWritingOnly(['journal', 'call']);
    await expectCompletedOnce(second, runId, ['completed']);
  }, 90_000);

  // Events are written to the run's log in the transition, its snapshot a tick later: a crash in
  // between leaves events of transitions the snapshot does not hold. Restore cuts the log back to
  // the snapshot's seq, so the replayed transitions tell their events once.
  it('tells no event twice when the crash lands between the event log and the snapshot', async () => {
    const { second, runId } = await crashWritingOnly(['journal', 'call', 'log']);
    await expectCompletedOnce(second, runId, ['completed']);
  }, 90_000);
});
