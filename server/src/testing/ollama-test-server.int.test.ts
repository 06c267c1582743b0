import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OllamaTestServer, startOllamaTestServer } from './ollama-test-server';

const post = (server: OllamaTestServer, path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const ndjson = async (response: Response) =>
  (await response.text())
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('startOllamaTestServer', () => {
  let server: OllamaTestServer;
  beforeEach(async () => {
    server = await startOllamaTestServer({
      models: { 'llama3.1:8b': 'hello there', 'deepseek-r1:8b': { reply: 'x', pulled: false } },
      version: '0.9.9',
    });
  });
  afterEach(() => server.close());

  it('streams a reply as NDJSON pieces and a final done line with the counts', async () => {
    const response = await post(server, '/api/chat', {
      model: 'llama3.1:8b',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = await ndjson(response);
    expect(lines.map((l) => (l.message as { content: string }).content)).toEqual(['hell', 'o th', 'ere', '']);
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: 1, eval_count: 3 });
    expect(lines.slice(0, -1).every((l) => l.done === false)).toBe(true);
  });

  it('answers a non-streaming chat with one JSON object, reading a bare name as :latest', async () => {
    server.script('phi3:latest', 'hello there');
    const response = await post(server, '/api/chat', { model: 'phi3', messages: [], stream: false });
    expect(await response.json()).toMatchObject({
      model: 'phi3',
      message: { role: 'assistant', content: 'hello there' },
      done: true,
    });
  });

  it('computes the reply from the request when scripted with a function', async () => {
    server.script('echo', { reply: (body) => body.messages.map((m) => m.content).join('|') });
    const response = await post(server, '/api/chat', {
      model: 'echo',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
      ],
      stream: false,
    });
    expect(await response.json()).toMatchObject({ message: { content: 'a|b' } });
  });

  it('lists only pulled models, and pulling makes a scripted model servable', async () => {
    const names = async () =>
      ((await (await fetch(`${server.url}/api/tags`)).json()) as { models: { name: string }[] }).models.map(
        (m) => m.name,
      );
    expect(await names()).toEqual(['llama3.1:8b']);
    const notPulled = await post(server, '/api/chat', { model: 'deepseek-r1:8b', messages: [] });
    expect(notPulled.status).toBe(404);
    expect(await notPulled.json()).toEqual({ error: 'model "deepseek-r1:8b" not found, try pulling it first' });

    const pull = await ndjson(await post(server, '/api/pull', { model: 'deepseek-r1:8b', stream: true }));
    expect(pull.at(-1)).toEqual({ status: 'success' });
    expect(await names()).toEqual(['llama3.1:8b', 'deepseek-r1:8b']);
  });

  it('reports its version and records every request body', async () => {
    expect(await (await fetch(`${server.url}/api/version`)).json()).toEqual({ version: '0.9.9' });
    await post(server, '/api/chat', { model: 'llama3.1:8b', messages: [], format: 'json', stream: false });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/version', 'POST /api/chat']);
    expect(server.chatRequests()).toEqual([{ model: 'llama3.1:8b', messages: [], format: 'json', stream: false }]);
    await expect(server.requests[1]?.outcome).resolves.toBe('completed');
  });

  it('answers 500 with an Ollama error body when scripted to fail', async () => {
    server.script('llama3.1:8b', { failure: { kind: 'http-500', message: 'boom' } });
    const response = await post(server, '/api/chat', { model: 'llama3.1:8b', messages: [] });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'boom' });
  });

  it('sees the client hang up on a hanging reply', async () => {
    server.script('llama3.1:8b', { reply: 'abcdefgh', failure: { kind: 'hang', afterPieces: 1 } });
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'llama3.1:8b', messages: [] }),
      signal: controller.signal,
    });
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('"content":"abcd"');
    controller.abort();
    await expect(server.requests[0]?.outcome).resolves.toBe('aborted');
  });

  it('resolves waitForRequest for a request that arrives later', async () => {
    const waiting = server.waitForRequest((r) => r.path === '/api/tags');
    await fetch(`${server.url}/api/version`);
    await fetch(`${server.url}/api/tags`);
    expect((await waiting).path).toBe('/api/tags');
  });
});
