import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentProfile } from '@revo/actors';
import type { ModelProvider, ModelReply, ModelRequest } from '@revo/actors';
import { type OllamaTestServer, startOllamaTestServer } from '../../testing/ollama-test-server';
import { createModelPort } from './model-router';
import { createOllamaProvider } from './ollama-provider';

const reasoner = AgentProfile.parse({
  id: 'architect',
  name: 'Architect',
  description: 'Plans systems.',
  capabilities: [{ name: 'design', weight: 1, keywords: ['design'] }],
  systemPrompt: 'You design systems.',
  modelPreference: { tier: 'reasoning' },
});

const offline: ModelProvider = {
  provider: 'offline',
  complete: async () => ({ text: '{"answer":"offline"}', tokensIn: 1, tokensOut: 1 }),
};

/** What the agent machine does, reduced to its walk: next model on an error or an unparsable reply. */
async function walk(port: ReturnType<typeof createModelPort>) {
  const tried: string[] = [];
  for (const model of port.chainFor(reasoner)) {
    tried.push(model.id);
    const request: ModelRequest = {
      model,
      agent: reasoner.id,
      system: reasoner.systemPrompt,
      prompt: 'Design a cache.',
      jsonSchema: { type: 'object', properties: { answer: { type: 'string' } } },
      signal: new AbortController().signal,
    };
    let reply: ModelReply;
    try {
      reply = await port.complete(request);
    } catch {
      continue;
    }
    try {
      return { tried, answer: JSON.parse(reply.text) as unknown };
    } catch {}
  }
  return { tried, answer: undefined };
}

describe('model router over a real Ollama API', () => {
  let server: OllamaTestServer;
  beforeEach(async () => {
    server = await startOllamaTestServer();
  });
  afterEach(() => server.close());

  const port = () =>
    createModelPort(
      { ollamaBaseUrl: server.url, ollamaReachable: true },
      { ollama: createOllamaProvider({ baseUrl: server.url }), offline },
    );

  it('walks to the second model when the first answers text that is not JSON', async () => {
    server.script('deepseek-r1:8b', 'I think the answer is a cache.');
    server.script('llama3.1:8b', '{"answer":"LRU cache"}');
    expect(await walk(port())).toEqual({
      tried: ['ollama:deepseek-r1:8b', 'ollama:llama3.1:8b'],
      answer: { answer: 'LRU cache' },
    });
    expect(server.chatRequests().map((b) => b.model)).toEqual(['deepseek-r1:8b', 'llama3.1:8b']);
  });

  it('walks past a model that is not pulled and one that fails, down to the offline model', async () => {
    server.script('llama3.1:8b', { failure: { kind: 'http-500' } });
    expect(await walk(port())).toEqual({
      tried: ['ollama:deepseek-r1:8b', 'ollama:llama3.1:8b', 'offline:revo-offline'],
      answer: { answer: 'offline' },
    });
    expect(server.chatRequests().map((b) => b.model)).toEqual(['deepseek-r1:8b', 'llama3.1:8b']);
  });
});
