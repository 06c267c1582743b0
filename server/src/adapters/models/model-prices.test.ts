import { describe, expect, it } from 'vitest';
import type { ModelRef } from '@revo/actors';
import { cloudReferencePrice, priceFor, priceOf, UNKNOWN_CLOUD_PRICE } from './model-prices';

const ref = (provider: ModelRef['provider'], name: string, local = false): ModelRef => ({
  id: `${provider}:${name}`,
  provider,
  name,
  local,
});

describe('model prices', () => {
  it('charges nothing for local and offline models', () => {
    expect(priceOf(ref('ollama', 'deepseek-r1:8b', true), 10_000, 5_000)).toBe(0);
    expect(priceOf(ref('offline', 'revo-offline', true), 10_000, 5_000)).toBe(0);
    expect(priceOf(ref('fake', 'echo', true), 10_000, 5_000)).toBe(0);
  });

  it('prices known cloud models per million tokens', () => {
    expect(priceOf(ref('openai', 'gpt-4o'), 1_000_000, 1_000_000)).toBeCloseTo(12.5);
    expect(priceOf(ref('openai', 'gpt-4o-mini'), 2_000_000, 1_000_000)).toBeCloseTo(0.9);
    expect(priceOf(ref('anthropic', 'claude-3-5-haiku'), 1_000, 1_000)).toBeCloseTo(0.0048);
  });

  it('matches a dated name to the longest listed prefix', () => {
    expect(priceFor(ref('openai', 'gpt-4o-mini-2024-07-18'))).toEqual({
      inputPerMTok: 0.15,
      outputPerMTok: 0.6,
      estimated: false,
    });
    expect(priceFor(ref('anthropic', 'claude-3-5-sonnet-20241022')).inputPerMTok).toBe(3);
    expect(priceFor(ref('anthropic', 'claude-opus-4-5-20251101')).inputPerMTok).toBe(5);
    expect(priceFor(ref('anthropic', 'claude-opus-4-1')).inputPerMTok).toBe(15);
  });

  it('flags an unknown cloud model and charges it the conservative default', () => {
    expect(priceFor(ref('openai', 'gpt-99-ultra'))).toEqual(UNKNOWN_CLOUD_PRICE);
    expect(priceFor(ref('openai', 'gpt-4oo')).estimated).toBe(true);
    expect(priceOf(ref('anthropic', 'claude-next'), 1_000_000, 0)).toBe(15);
  });

  it('prices the cloud reference as gpt-4o, the money a local call saves', () => {
    expect(cloudReferencePrice(1_000_000, 1_000_000)).toBeCloseTo(12.5);
    expect(cloudReferencePrice(0, 0)).toBe(0);
  });
});
