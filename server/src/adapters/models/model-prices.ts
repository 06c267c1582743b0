import type { ModelRef } from '@revo/actors';

/** US dollars per million tokens. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  /** True when the model is not in the table and the conservative default stands in for it. */
  estimated: boolean;
}

/**
 * List prices of well-known cloud models (USD per 1M input / output tokens, standard tier, as the
 * vendors published them in 2025). Keys are model ids; a dated or suffixed name
 * (`claude-3-5-sonnet-20241022`, `gpt-4o-2024-08-06`) takes the longest key it starts with.
 */
export const CLOUD_MODEL_PRICES: Readonly<Record<string, readonly [input: number, output: number]>> = {
  'openai:gpt-4o': [2.5, 10],
  'openai:gpt-4o-mini': [0.15, 0.6],
  'openai:gpt-4.1': [2, 8],
  'openai:gpt-4.1-mini': [0.4, 1.6],
  'openai:gpt-4.1-nano': [0.1, 0.4],
  'openai:gpt-5': [1.25, 10],
  'openai:gpt-5-mini': [0.25, 2],
  'openai:gpt-5-nano': [0.05, 0.4],
  'openai:gpt-4-turbo': [10, 30],
  'openai:gpt-3.5-turbo': [0.5, 1.5],
  'openai:o1': [15, 60],
  'openai:o1-mini': [1.1, 4.4],
  'openai:o3': [2, 8],
  'openai:o3-mini': [1.1, 4.4],
  'openai:o4-mini': [1.1, 4.4],
  'anthropic:claude-3-haiku': [0.25, 1.25],
  'anthropic:claude-3-5-haiku': [0.8, 4],
  'anthropic:claude-haiku-4-5': [1, 5],
  'anthropic:claude-3-5-sonnet': [3, 15],
  'anthropic:claude-3-7-sonnet': [3, 15],
  'anthropic:claude-sonnet-4': [3, 15],
  'anthropic:claude-3-opus': [15, 75],
  'anthropic:claude-opus-4': [15, 75],
  'anthropic:claude-opus-4-5': [5, 25],
};

/** What an unknown cloud model is assumed to cost: the dearest in the table, so never too little. */
export const UNKNOWN_CLOUD_PRICE: ModelPrice = { inputPerMTok: 15, outputPerMTok: 75, estimated: true };

/** The cloud model local calls are compared with when reporting money saved. */
export const CLOUD_REFERENCE_MODEL: ModelRef = {
  id: 'openai:gpt-4o',
  provider: 'openai',
  name: 'gpt-4o',
  local: false,
};

const FREE: ModelPrice = { inputPerMTok: 0, outputPerMTok: 0, estimated: false };

/** The price of a model: 0 for local and offline ones, the table's for known cloud ones. */
export function priceFor(model: ModelRef): ModelPrice {
  switch (model.provider) {
    case 'ollama':
    case 'offline':
    case 'fake':
      return FREE;
    case 'openai':
    case 'anthropic': {
      if (model.local) return FREE;
      const id = `${model.provider}:${model.name}`;
      let best: string | undefined;
      for (const key of Object.keys(CLOUD_MODEL_PRICES)) {
        const fits = id === key || id.startsWith(`${key}-`);
        if (fits && (best === undefined || key.length > best.length)) best = key;
      }
      const listed = best === undefined ? undefined : CLOUD_MODEL_PRICES[best];
      return listed ? { inputPerMTok: listed[0], outputPerMTok: listed[1], estimated: false } : UNKNOWN_CLOUD_PRICE;
    }
  }
}

/** US dollars for one call. */
export function priceOf(model: ModelRef, tokensIn: number, tokensOut: number): number {
  const price = priceFor(model);
  return (tokensIn * price.inputPerMTok + tokensOut * price.outputPerMTok) / 1_000_000;
}

/** What the same tokens would have cost on the cloud reference model: the money a local call saved. */
export function cloudReferencePrice(tokensIn: number, tokensOut: number): number {
  return priceOf(CLOUD_REFERENCE_MODEL, tokensIn, tokensOut);
}
