import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../env';
import { type OllamaTestServer, startOllamaTestServer } from '../testing/ollama-test-server';
import { createRuntime } from './create-runtime';
import { runReport } from './run-report';
import { settledOrWaiting, startWorkflow } from './start-workflow';

const answer = (position: string) =>
  JSON.stringify({ answer: `real answer: ${position}`, position, confidence: 0.8, rationale: 'checked', flag: 'none' });

let server: OllamaTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const env = (url: string) =>
  loadEnv({
    OLLAMA_BASE_URL: url,
    REVO_PLANNER: 'offline',
    REVO_MODELS_GENERAL: 'ollama:llama3.1:8b,ollama:qwen2.5:7b',
  });

describe('a workflow on Ollama', () => {
  it('streams through ChatOllama, and falls to the next model when an answer fails its schema', async () => {
    server = await startOllamaTestServer({
      models: {
        'llama3.1:8b': { reply: '{"answer": "I forgot the position"}' },
        'qwen2.5:7b': { reply: answer('documented') },
      },
    });
    const runtime = await createRuntime(env(server.url));
    expect(runtime.status).toMatchObject({ ollamaReachable: true, offlineOnly: false });
    const tokens: string[] = [];
    runtime.events.subscribe((e) => e.type === 'agent.token' && tokens.push(e.delta));
    const { actor } = startWorkflow(runtime, {
      task: 'Write a quickstart guide for the CLI',
      mode: 'single',
      agents: ['documenter'],
    });
    const done = await settledOrWaiting(actor);
    const report = runReport(done.context, done.output?.status ?? 'failed', runtime.events.events);
    expect(report.status).toBe('completed');
    expect(report.steps[0]).toMatchObject({ agent: 'documenter', position: 'documented', model: 'ollama:qwen2.5:7b' });
    expect(server.chatRequests().map((r) => r.model)).toEqual(['llama3.1:8b', 'qwen2.5:7b']);
    expect(server.chatRequests()[0]?.stream).toBe(true);
    expect(server.chatRequests()[0]?.format).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['position']),
    });
    expect(runtime.events.events.some((e) => e.type === 'agent.model.fallback' && e.to === 'ollama:qwen2.5:7b')).toBe(
      true,
    );
    expect(tokens.join('')).toContain(answer('documented').slice(0, 20));
    expect(report.offline).toBe(false);
    expect(report.localShare).toBe(1);
    expect(report.answer).toBe('real answer: documented');
  });

  it('serves from the offline model, labelled, when Ollama is down', async () => {
    const runtime = await createRuntime(env(`http://127.0.0.1:${await freePort()}`));
    expect(runtime.status).toMatchObject({ ollamaReachable: false, offlineOnly: true });
    const { actor } = startWorkflow(runtime, { task: 'Write a quickstart guide for the CLI', mode: 'single' });
    const done = await settledOrWaiting(actor);
    const report = runReport(done.context, done.output?.status ?? 'failed', runtime.events.events);
    expect(report.status).toBe('completed');
    expect(report.offline).toBe(true);
    expect(report.steps[0]?.model).toBe('offline:revo-offline');
    expect(report.answer).toMatch(/^\[offline model\]/);
  });

  it('falls to the offline model when Ollama goes down after start', async () => {
    server = await startOllamaTestServer({
      models: { 'llama3.1:8b': { reply: answer('x') }, 'qwen2.5:7b': answer('y') },
    });
    const runtime = await createRuntime(env(server.url));
    await server.close();
    server = undefined;
    const { actor } = startWorkflow(runtime, {
      task: 'Write a quickstart guide for the CLI',
      mode: 'single',
      options: { retry: { attemptsPerModel: 2, baseDelayMs: 1, maxDelayMs: 2 } },
    });
    const done = await settledOrWaiting(actor);
    expect(done.output?.status).toBe('completed');
    const failures = runtime.events.events.filter((e) => e.type === 'agent.attempt.failed');
    expect(failures.map((e) => e.model)).toEqual([
      'ollama:llama3.1:8b',
      'ollama:llama3.1:8b',
      'ollama:qwen2.5:7b',
      'ollama:qwen2.5:7b',
    ]);
    expect(done.context.steps[done.context.plan?.steps[0]?.id ?? '']?.answer?.usage.provider).toBe('offline');
  });
});
