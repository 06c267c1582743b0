import { describe, expect, it } from 'vitest';
import { AgentProfile, type ModelPreference } from '@revo/actors';
import type { ModelProvider, ModelRequest } from '@revo/actors';
import {
  createModelPort,
  DEFAULT_MODEL_CHAINS,
  type ModelProviders,
  ModelRouterConfig,
  OFFLINE_MODEL_ID,
  parseModelRef,
} from './model-router';

const agent = (preference: Partial<ModelPreference> = {}) =>
  AgentProfile.parse({
    id: 'coder',
    name: 'Coder',
    description: 'Writes code.',
    capabilities: [{ name: 'code', weight: 1, keywords: ['code'] }],
    systemPrompt: 'You write code.',
    modelPreference: preference,
  });

const echo = (name: ModelProvider['provider']): ModelProvider => ({
  provider: name,
  complete: async (request) => ({ text: `${name} answered ${request.model.name}`, tokensIn: 1, tokensOut: 1 }),
});

const all: ModelProviders = {
  ollama: echo('ollama'),
  offline: echo('offline'),
  openai: echo('openai'),
  anthropic: echo('anthropic'),
};

const ref = (id: string) => {
  const model = parseModelRef(id);
  if (!model) throw new Error(`bad model id ${id}`);
  return model;
};

const ids = (port: ReturnType<typeof createModelPort>, profile: AgentProfile) =>
  port.chainFor(profile).map((m) => m.id);

describe('createModelPort', () => {
  it('uses the default chains, with the offline model last', () => {
    const port = createModelPort({ ollamaReachable: true }, all);
    expect(ids(port, agent({ tier: 'reasoning' }))).toEqual([...DEFAULT_MODEL_CHAINS.reasoning, OFFLINE_MODEL_ID]);
    expect(ids(port, agent())).toEqual([...DEFAULT_MODEL_CHAINS.general, OFFLINE_MODEL_ID]);
    expect(ids(port, agent({ tier: 'fast' }))).toEqual(['ollama:llama3.2:3b', 'ollama:llama3.1:8b', OFFLINE_MODEL_ID]);
  });

  it("puts the agent's own models first and drops duplicates", () => {
    const port = createModelPort({ ollamaReachable: true }, all);
    expect(ids(port, agent({ tier: 'reasoning', models: ['ollama:qwen2.5-coder:7b', 'ollama:llama3.1:8b'] }))).toEqual([
      'ollama:qwen2.5-coder:7b',
      'ollama:llama3.1:8b',
      'ollama:deepseek-r1:8b',
      OFFLINE_MODEL_ID,
    ]);
  });

  it('gives the offline model alone when Ollama is unreachable', () => {
    const port = createModelPort({ ollamaReachable: false }, all);
    expect(ids(port, agent({ models: ['ollama:qwen2.5-coder:7b'] }))).toEqual([OFFLINE_MODEL_ID]);
  });

  it('keeps cloud models only for agents that allow them and only when their provider is registered', () => {
    const chains = { general: ['openai:gpt-4o-mini', 'ollama:llama3.1:8b', 'anthropic:claude-3-5-haiku'] };
    const withOpenAi = createModelPort(
      { ollamaReachable: true, chains },
      {
        ollama: all.ollama,
        offline: all.offline,
        openai: all.openai,
      },
    );
    expect(ids(withOpenAi, agent())).toEqual(['openai:gpt-4o-mini', 'ollama:llama3.1:8b', OFFLINE_MODEL_ID]);
    expect(ids(withOpenAi, agent({ locality: 'local-only', models: ['openai:gpt-4o'] }))).toEqual([
      'ollama:llama3.1:8b',
      OFFLINE_MODEL_ID,
    ]);
  });

  it('leaves the offline model out when offlineFallback is off', () => {
    const port = createModelPort({ ollamaReachable: false, offlineFallback: false }, all);
    expect(ids(port, agent())).toEqual([]);
  });

  it('refuses an offline fallback it has no provider for', () => {
    expect(() => createModelPort({ ollamaReachable: true }, { ollama: all.ollama })).toThrow(
      'offlineFallback is on but no "offline" model provider is registered',
    );
  });

  it('skips ids of unknown providers in an agent preference', () => {
    const port = createModelPort({ ollamaReachable: true }, all);
    expect(ids(port, agent({ tier: 'fast', models: ['mistral:large', 'nonsense'] }))[0]).toBe('ollama:llama3.2:3b');
  });

  it('rejects a config chain entry that is not a model id', () => {
    expect(ModelRouterConfig.safeParse({ ollamaReachable: true, chains: { fast: ['llama3'] } }).success).toBe(false);
    expect(ModelRouterConfig.safeParse({ ollamaReachable: true, chains: { fast: ['groq:x'] } }).success).toBe(false);
    expect(ModelRouterConfig.parse({ ollamaReachable: true, chains: { fast: ['ollama:x'] } }).chains).toEqual({
      ...DEFAULT_MODEL_CHAINS,
      fast: ['ollama:x'],
    });
  });

  it('dispatches complete to the provider named in the model id', async () => {
    const port = createModelPort({ ollamaReachable: true }, all);
    expect(ids(port, agent())).toEqual(['ollama:llama3.1:8b', 'ollama:deepseek-r1:8b', OFFLINE_MODEL_ID]);
    const call = (model: ModelRequest['model']): ModelRequest => ({
      model,
      agent: 'coder',
      system: '',
      prompt: 'hi',
      jsonSchema: {},
      signal: new AbortController().signal,
    });
    expect((await port.complete(call(ref('ollama:llama3.1:8b')))).text).toBe('ollama answered llama3.1:8b');
    expect((await port.complete(call(ref(OFFLINE_MODEL_ID)))).text).toBe('offline answered revo-offline');
    await expect(port.complete(call(ref('anthropic:claude-3-5-haiku')))).resolves.toBeDefined();
    const bare = createModelPort({ ollamaReachable: true, offlineFallback: false }, { ollama: all.ollama });
    await expect(bare.complete(call(ref('openai:gpt-4o')))).rejects.toThrow(
      'no model provider "openai" for openai:gpt-4o (registered: ollama)',
    );
  });

  it('prices local models at 0 and cloud ones from the table', () => {
    const port = createModelPort({ ollamaReachable: true }, all);
    expect(port.price(ref('ollama:llama3.1:8b'), 1_000_000, 1_000_000)).toBe(0);
    expect(port.price(ref('openai:gpt-4o'), 1_000_000, 1_000_000)).toBeCloseTo(12.5);
  });
});

describe('parseModelRef', () => {
  it('splits at the first colon only and marks local providers', () => {
    expect(parseModelRef('ollama:deepseek-r1:8b')).toEqual({
      id: 'ollama:deepseek-r1:8b',
      provider: 'ollama',
      name: 'deepseek-r1:8b',
      local: true,
    });
    expect(parseModelRef('anthropic:claude-3-5-haiku')).toMatchObject({ local: false });
    expect(parseModelRef('ollama:')).toBeUndefined();
    expect(parseModelRef('llama3')).toBeUndefined();
  });
});
