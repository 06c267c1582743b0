import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ModelRef, type ModelRequest, TransientModelError } from '@revo/actors';
import { type OllamaTestServer, startOllamaTestServer } from '../../testing/ollama-test-server';
import { ModelNotFoundError } from './langchain-provider';
import { createOllamaProvider } from './ollama-provider';

const ref = (name: string): ModelRef => ({ id: `ollama:${name}`, provider: 'ollama', name, local: true });

const schema = {
  type: 'object',
  properties: { answer: { type: 'string' } },
  required: ['answer'],
};

const request = (name: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  model: ref(name),
  agent: 'coder',
  system: 'You are a careful coder.',
  prompt: 'Write hello world.',
  jsonSchema: schema,
  signal: new AbortController().signal,
  ...extra,
});

/** A port nothing listens on: bound, read, released. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

describe('createOllamaProvider', () => {
  let server: OllamaTestServer;
  beforeEach(async () => {
    server = await startOllamaTestServer();
  });
  afterEach(() => server.close());

  it('streams the token deltas in order and returns their concatenation', async () => {
    server.script('llama3.1:8b', { reply: '{"answer":"hello world"}', pieceChars: 5, delayMs: 2 });
    const provider = createOllamaProvider({ baseUrl: server.url });
    const deltas: string[] = [];
    const reply = await provider.complete(request('llama3.1:8b', { onToken: (d) => deltas.push(d) }));
    expect(deltas).toEqual(['{"ans', 'wer":', '"hell', 'o wor', 'ld"}']);
    expect(reply.text).toBe('{"answer":"hello world"}');
  });

  it('takes token usage from prompt_eval_count and eval_count', async () => {
    server.script('llama3.1:8b', { reply: '{"answer":"x"}', usage: { promptEvalCount: 42, evalCount: 7 } });
    const reply = await createOllamaProvider({ baseUrl: server.url }).complete(request('llama3.1:8b'));
    expect(reply).toMatchObject({ tokensIn: 42, tokensOut: 7 });
  });

  it('estimates tokens at about four characters each when Ollama reports no counts', async () => {
    server.script('llama3.1:8b', { reply: '{"answer":"12345678"}', usage: 'omit' });
    const req = request('llama3.1:8b');
    const reply = await createOllamaProvider({ baseUrl: server.url }).complete(req);
    expect(reply.tokensOut).toBe(Math.ceil('{"answer":"12345678"}'.length / 4));
    expect(reply.tokensIn).toBe(Math.ceil(`${req.system}${req.prompt}`.length / 4));
  });

  it('sends the JSON schema as format, temperature 0, and the system and user messages', async () => {
    server.script('deepseek-r1:8b', '{"answer":"ok"}');
    await createOllamaProvider({ baseUrl: server.url, seed: 7 }).complete(request('deepseek-r1:8b'));
    const [body] = server.chatRequests();
    expect(body).toMatchObject({
      model: 'deepseek-r1:8b',
      stream: true,
      format: schema,
      options: { temperature: 0, seed: 7 },
      messages: [
        { role: 'system', content: 'You are a careful coder.' },
        { role: 'user', content: 'Write hello world.' },
      ],
    });
  });

  it('sends no format when the schema is empty', async () => {
    server.script('llama3.1:8b', 'plain');
    await createOllamaProvider({ baseUrl: server.url }).complete(request('llama3.1:8b', { jsonSchema: {} }));
    expect(server.chatRequests()[0]).not.toHaveProperty('format');
  });

  it('returns a reply that is not valid JSON as text, leaving validation to the agent', async () => {
    server.script('llama3.1:8b', 'Sure! Here is the answer: 42');
    const reply = await createOllamaProvider({ baseUrl: server.url }).complete(request('llama3.1:8b'));
    expect(reply.text).toBe('Sure! Here is the answer: 42');
  });

  it('streams the think block of DeepSeek-R1 but strips it from the final text', async () => {
    server.script('deepseek-r1:8b', '<think>\nThe user wants JSON.\n</think>\n\n{"answer":"ok"}');
    const deltas: string[] = [];
    const reply = await createOllamaProvider({ baseUrl: server.url }).complete(
      request('deepseek-r1:8b', { onToken: (d) => deltas.push(d) }),
    );
    expect(deltas.join('')).toContain('<think>');
    expect(reply.text).toBe('{"answer":"ok"}');
  });

  it('streams reasoning Ollama sends in message.thinking inside think tags, keeping it out of the text', async () => {
    server.script('deepseek-r1:8b', { thinking: 'They want JSON.', reply: '{"answer":"ok"}', pieceChars: 8 });
    const deltas: string[] = [];
    const reply = await createOllamaProvider({ baseUrl: server.url }).complete(
      request('deepseek-r1:8b', { onToken: (d) => deltas.push(d) }),
    );
    expect(deltas).toEqual(['<think>They wan', 't JSON.', '</think>\n{"answer', '":"ok"}']);
    expect(reply).toMatchObject({ text: '{"answer":"ok"}', tokensOut: 4 });
  });

  it('passes think: false through, and then gets no reasoning', async () => {
    server.script('deepseek-r1:8b', { thinking: 'They want JSON.', reply: '{"answer":"ok"}' });
    const deltas: string[] = [];
    await createOllamaProvider({ baseUrl: server.url, think: false }).complete(
      request('deepseek-r1:8b', { onToken: (d) => deltas.push(d) }),
    );
    expect(server.chatRequests()[0]).toMatchObject({ think: false });
    expect(deltas.join('')).toBe('{"answer":"ok"}');
  });

  it('fails fast with a TransientModelError when nothing listens on the port', async () => {
    const provider = createOllamaProvider({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    const started = performance.now();
    const error = await provider.complete(request('llama3.1:8b')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientModelError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('names the ollama pull command when the model is not pulled (404), as a non-transient error', async () => {
    const error = await createOllamaProvider({ baseUrl: server.url })
      .complete(request('deepseek-r1:8b'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect(error).not.toBeInstanceOf(TransientModelError);
    expect((error as Error).message).toBe(
      'ollama model deepseek-r1:8b is not pulled: run `ollama pull deepseek-r1:8b`',
    );
  });

  it('maps HTTP 500 to a TransientModelError carrying the Ollama error', async () => {
    server.script('llama3.1:8b', { failure: { kind: 'http-500', message: 'out of memory' } });
    const error = await createOllamaProvider({ baseUrl: server.url })
      .complete(request('llama3.1:8b'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientModelError);
    expect((error as Error).message).toBe('ollama:llama3.1:8b failed with HTTP 500: out of memory');
  });

  it('maps a stream cut short by malformed lines to a TransientModelError', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    server.script('llama3.1:8b', { reply: 'abcdefgh', failure: { kind: 'malformed', afterPieces: 1 } });
    const deltas: string[] = [];
    const error = await createOllamaProvider({ baseUrl: server.url })
      .complete(request('llama3.1:8b', { onToken: (d) => deltas.push(d) }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientModelError);
    expect(deltas).toEqual(['abcd']);
    // The ollama client skips a line it cannot parse with a console warning and reads on.
    expect(warn).toHaveBeenCalledWith('invalid json: ', expect.stringContaining('oops'));
    warn.mockRestore();
  });

  it('rejects with the error line Ollama sends mid-stream', async () => {
    server.script('llama3.1:8b', {
      reply: 'abcdefgh',
      failure: { kind: 'stream-error', message: 'llama runner process has terminated', afterPieces: 1 },
    });
    await expect(createOllamaProvider({ baseUrl: server.url }).complete(request('llama3.1:8b'))).rejects.toThrow(
      'llama runner process has terminated',
    );
  });

  it('rejects an abort mid-stream with an AbortError and closes the HTTP request', async () => {
    server.script('llama3.1:8b', { reply: 'abcdefghijkl', failure: { kind: 'hang', afterPieces: 2 } });
    const controller = new AbortController();
    const deltas: string[] = [];
    const call = createOllamaProvider({ baseUrl: server.url }).complete(
      request('llama3.1:8b', {
        signal: controller.signal,
        onToken: (d) => {
          deltas.push(d);
          if (deltas.length === 2) controller.abort(new Error('agent stopped'));
        },
      }),
    );
    const error = await call.catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError', message: 'ollama:llama3.1:8b call aborted: agent stopped' });
    expect(deltas).toEqual(['abcd', 'efgh']);
    const chat = await server.waitForRequest((r) => r.path === '/api/chat');
    await expect(chat.outcome).resolves.toBe('aborted');
  });

  it('cancels the HTTP request when aborted before Ollama sent any header', async () => {
    server.script('llama3.1:8b', { failure: { kind: 'hang' } });
    const controller = new AbortController();
    const call = createOllamaProvider({ baseUrl: server.url })
      .complete(request('llama3.1:8b', { signal: controller.signal }))
      .catch((e: unknown) => e);
    const chat = await server.waitForRequest((r) => r.path === '/api/chat');
    controller.abort();
    expect(await call).toMatchObject({ name: 'AbortError' });
    await expect(chat.outcome).resolves.toBe('aborted');
  });

  it('gives up on a model that sends nothing for idleTimeoutMs, as transient, and hangs up', async () => {
    server.script('llama3.1:8b', { failure: { kind: 'hang' } });
    const error = await createOllamaProvider({ baseUrl: server.url, idleTimeoutMs: 100 })
      .complete(request('llama3.1:8b'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientModelError);
    expect((error as Error).message).toBe('ollama:llama3.1:8b sent nothing for 100 ms');
    const [chat] = server.requests;
    await expect(chat?.outcome).resolves.toBe('aborted');
  });

  it('hangs up when onToken throws, and rejects with that error', async () => {
    server.script('llama3.1:8b', { reply: 'abcdefghijkl', failure: { kind: 'hang', afterPieces: 1 } });
    const call = createOllamaProvider({ baseUrl: server.url }).complete(
      request('llama3.1:8b', {
        onToken: () => {
          throw new Error('listener broke');
        },
      }),
    );
    await expect(call).rejects.toThrow('listener broke');
    await expect(server.requests[0]?.outcome).resolves.toBe('aborted');
  });

  it('rejects at once when the signal is already aborted, without calling Ollama', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      createOllamaProvider({ baseUrl: server.url }).complete(request('llama3.1:8b', { signal: controller.signal })),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(0);
  });
});
