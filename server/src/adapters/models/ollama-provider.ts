import { ChatOllama } from '@langchain/ollama';
import type { ModelProvider, ModelRequest } from '@revo/actors';
import { createLangchainProvider } from './langchain-provider';

export interface OllamaProviderOptions {
  /** Where Ollama listens, e.g. `http://127.0.0.1:11434`. */
  baseUrl: string;
  /** Sampling temperature; 0 makes replies repeatable. @default 0 */
  temperature?: number;
  /** Fixed sampling seed, for repeatable replies even above temperature 0. */
  seed?: number;
  /** Context window in tokens (Ollama's `num_ctx`); Ollama's own default when absent. */
  numCtx?: number;
  /** How long Ollama keeps the model loaded after the call (`'5m'`, seconds, `-1`). */
  keepAlive?: string | number;
  /**
   * Ollama's `think`: `false` turns a thinking model's reasoning off, `true` asks for it; absent,
   * Ollama decides (recent versions let thinking models think, in `message.thinking`).
   */
  think?: boolean;
  /** Longest wait for the next streamed piece (a cold model load counts). @default 120_000 */
  idleTimeoutMs?: number;
  /** The fetch to call Ollama with. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Sent with every request (reVo names the replica asking, for Ollama's logs and proxies). */
  headers?: Record<string, string>;
}

/**
 * The Ollama `ModelProvider`: ChatOllama with the request's JSON Schema as `format` (structured
 * output) and temperature 0. Models are never pulled implicitly: a missing one fails with the
 * `ollama pull` command to run.
 */
export function createOllamaProvider(options: OllamaProviderOptions): ModelProvider {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const inner = createLangchainProvider({
    provider: 'ollama',
    idleTimeoutMs: options.idleTimeoutMs,
    describeMissingModel: (model) => `ollama model ${model.name} is not pulled: run \`ollama pull ${model.name}\``,
    createChatModel: (model, jsonSchema, signal) =>
      new ChatOllama({
        baseUrl: options.baseUrl,
        ...(options.headers ? { headers: options.headers } : {}),
        model: model.name,
        format: Object.keys(jsonSchema).length > 0 ? jsonSchema : undefined,
        temperature: options.temperature ?? 0,
        seed: options.seed,
        numCtx: options.numCtx,
        keepAlive: options.keepAlive,
        think: options.think,
        checkOrPullModel: false,
        // ChatOllama gives the `ollama` client no signal: the request would outlive an abort.
        fetch: (input, init) =>
          baseFetch(input, {
            ...init,
            signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal,
          }),
      }),
  });
  return {
    provider: 'ollama',
    async complete(request: ModelRequest) {
      const reply = await inner.complete(request);
      return { ...reply, text: stripThinkBlock(reply.text) };
    },
  };
}

/**
 * Drops the reasoning a model such as DeepSeek-R1 writes before its answer: a leading
 * `<think>...</think>`, or everything up to `</think>` when the chat template opened the tag.
 */
export function stripThinkBlock(text: string): string {
  const open = text.match(/^\s*<think>/);
  const close = text.indexOf('</think>');
  if (close === -1) return text;
  if (!open && text.slice(0, close).includes('<think>')) return text;
  return text.slice(close + '</think>'.length).trimStart();
}
