import { describe, expect, it } from 'vitest';
import type { ModelStatus } from '../runtime/create-runtime';
import { modelsLine } from './models-line';

const ollama: ModelStatus = {
  ollamaBaseUrl: 'http://127.0.0.1:11434',
  ollamaReachable: true,
  ollamaModels: ['llama3.1:8b', 'qwen2.5:7b'],
  offlineOnly: false,
  offlineFallback: true,
};

describe('models line', () => {
  it('names Ollama and the offline fallback when both are on', () => {
    expect(modelsLine(ollama)).toBe('models: Ollama at http://127.0.0.1:11434 (2 models), offline model as fallback');
  });

  it('says there is no fallback when REVO_OFFLINE_FALLBACK=0', () => {
    expect(modelsLine({ ...ollama, offlineFallback: false })).toBe(
      'models: Ollama at http://127.0.0.1:11434 (2 models), no fallback (REVO_OFFLINE_FALLBACK=0): a call no model answers fails',
    );
  });

  it('says when only the offline model answers, and why', () => {
    const line = modelsLine({
      ...ollama,
      ollamaReachable: false,
      ollamaModels: [],
      offlineOnly: true,
      ollamaError: 'connect ECONNREFUSED',
    });
    expect(line).toBe('models: the offline model only (connect ECONNREFUSED); answers are labelled [offline model]');
  });
});
