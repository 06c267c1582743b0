import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type AIMessageChunk, HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Usage } from '@revo/actors';
import {
  type ModelProvider,
  type ModelRef,
  type ModelReply,
  type ModelRequest,
  TransientModelError,
} from '@revo/actors';

/**
 * Builds the chat model for one call. `signal` aborts the whole call: a factory whose client does
 * not take the signal from `stream()` down to its HTTP request must wire it in (ChatOllama does not).
 */
export type ChatModelFactory = (
  model: ModelRef,
  jsonSchema: Record<string, unknown>,
  signal: AbortSignal,
) => BaseChatModel;

export interface LangchainProviderOptions {
  provider: Usage['provider'];
  createChatModel: ChatModelFactory;
  /** Longest wait for the next streamed piece before the call fails as transient. @default 120_000 */
  idleTimeoutMs?: number;
  /** The message for a model the backend does not have. */
  describeMissingModel?: (model: ModelRef) => string;
}

/** A model the backend does not have: retrying will not help, the next model in the chain may. */
export class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';
}

/** Rough token count for backends that report none: about four characters a token. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/**
 * A `ModelProvider` over any LangChain chat model: streams the reply, reports each text delta,
 * counts tokens, honours the caller's AbortSignal and sorts failures into transient or not.
 */
export function createLangchainProvider(options: LangchainProviderOptions): ModelProvider {
  const idleTimeoutMs = options.idleTimeoutMs ?? 120_000;
  const describeMissing =
    options.describeMissingModel ?? ((model) => `${model.provider} model ${model.name} was not found`);

  return {
    provider: options.provider,
    async complete(request: ModelRequest): Promise<ModelReply> {
      const { model } = request;
      if (request.signal.aborted) throw abortError(model, request.signal);
      const own = new AbortController();
      const signal = AbortSignal.any([request.signal, own.signal]);
      let timer: NodeJS.Timeout | undefined;
      const armIdleTimer = () => {
        clearTimeout(timer);
        timer = setTimeout(
          () => own.abort(new TransientModelError(`${model.id} sent nothing for ${idleTimeoutMs} ms`)),
          idleTimeoutMs,
        );
      };
      const messages = [
        ...(request.system ? [new SystemMessage(request.system)] : []),
        new HumanMessage(request.prompt),
      ];
      const reply = newReply();
      let finished = false;
      try {
        armIdleTimer();
        const chatModel = options.createChatModel(model, request.jsonSchema, signal);
        const stream = await chatModel.stream(messages, { signal });
        for await (const chunk of stream) {
          armIdleTimer();
          const delta = takeChunk(reply, chunk);
          if (delta) request.onToken?.(delta);
        }
        finished = true;
      } catch (error) {
        if (request.signal.aborted) throw abortError(model, request.signal);
        if (own.signal.reason instanceof TransientModelError) throw own.signal.reason;
        throw toModelError(error, model, describeMissing);
      } finally {
        clearTimeout(timer);
        // Cancels the HTTP request when the loop ended early (a throwing onToken, say).
        if (!finished) own.abort();
      }
      const tokensIn = reply.inputTokens || reply.promptEvalCount;
      const tokensOut = reply.outputTokens || reply.evalCount;
      return {
        text: reply.text,
        tokensIn: tokensIn > 0 ? tokensIn : estimateTokens(`${request.system}${request.prompt}`),
        tokensOut: tokensOut > 0 ? tokensOut : estimateTokens(`${reply.reasoning}${reply.text}`),
      };
    },
  };
}

/** The reply so far: its text, the reasoning streamed beside it, and the token counts seen. */
interface PartialReply {
  text: string;
  reasoning: string;
  /** Inside a reasoning run, whose `</think>` is still to be streamed. */
  thinking: boolean;
  inputTokens: number;
  outputTokens: number;
  promptEvalCount: number;
  evalCount: number;
}

const newReply = (): PartialReply => ({
  text: '',
  reasoning: '',
  thinking: false,
  inputTokens: 0,
  outputTokens: 0,
  promptEvalCount: 0,
  evalCount: 0,
});

/**
 * Adds a chunk to the reply and returns the piece to stream. Reasoning that arrives beside the text
 * (`reasoning_content`: Ollama's `message.thinking`) streams inside `<think>...</think>`, as models
 * that write it into the text do, but stays out of the text itself.
 */
function takeChunk(reply: PartialReply, chunk: AIMessageChunk): string {
  let delta = '';
  const reasoning = chunk.additional_kwargs?.reasoning_content;
  if (typeof reasoning === 'string' && reasoning !== '') {
    delta += reply.thinking ? reasoning : `<think>${reasoning}`;
    reply.reasoning += reasoning;
    reply.thinking = true;
  }
  const text = chunk.text;
  if (text !== '') {
    delta += reply.thinking ? `</think>\n${text}` : text;
    reply.text += text;
    reply.thinking = false;
  }
  reply.inputTokens += chunk.usage_metadata?.input_tokens ?? 0;
  reply.outputTokens += chunk.usage_metadata?.output_tokens ?? 0;
  const meta = chunk.response_metadata as { prompt_eval_count?: unknown; eval_count?: unknown };
  if (typeof meta?.prompt_eval_count === 'number') reply.promptEvalCount = meta.prompt_eval_count;
  if (typeof meta?.eval_count === 'number') reply.evalCount = meta.eval_count;
  return delta;
}

/** Rejects like `fetch` does, with a DOMException named AbortError; the caller's reason is the cause. */
function abortError(model: ModelRef, signal: AbortSignal): DOMException {
  const reason: unknown = signal.reason;
  const why = reason instanceof Error && reason.name !== 'AbortError' ? `: ${reason.message}` : '';
  // The two-argument form: DOM typings (pulled in by the HTTP stack) lack the options overload.
  const error = new DOMException(`${model.id} call aborted${why}`, 'AbortError');
  Object.defineProperty(error, 'cause', { value: reason, enumerable: false });
  return error;
}

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Sorts a failed call: transient (retry or move on), model missing, or anything else as it came. */
export function toModelError(error: unknown, model: ModelRef, describeMissing: (model: ModelRef) => string): Error {
  const message = error instanceof Error ? error.message : String(error);
  const status = httpStatusOf(error);
  if (status === 404 && /model/i.test(message)) {
    return new ModelNotFoundError(describeMissing(model), { cause: error });
  }
  if (status !== undefined && (status >= 500 || status === 408 || status === 429)) {
    return new TransientModelError(`${model.id} failed with HTTP ${status}: ${message}`, { cause: error });
  }
  const code = networkCodeOf(error);
  if (code) return new TransientModelError(`${model.id} is unreachable (${code}): ${message}`, { cause: error });
  if (/did not receive done/i.test(message)) {
    return new TransientModelError(`${model.id} stream ended before its last line`, { cause: error });
  }
  if (status !== undefined) return new Error(`${model.id} failed with HTTP ${status}: ${message}`, { cause: error });
  return error instanceof Error ? error : new Error(message);
}

/** `status_code` from the ollama client, `status` from the OpenAI and Anthropic SDKs. */
function httpStatusOf(error: unknown): number | undefined {
  const e = error as { status_code?: unknown; status?: unknown } | null;
  const status = e?.status_code ?? e?.status;
  return typeof status === 'number' ? status : undefined;
}

/** A socket-level failure anywhere down the `cause` chain (undici wraps them in `fetch failed`). */
function networkCodeOf(error: unknown): string | undefined {
  for (
    let e = error as { code?: unknown; name?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth++
  ) {
    if (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code)) return e.code;
    if (e.name === 'TimeoutError') return 'ETIMEDOUT';
    e = e.cause as typeof e;
  }
  return undefined;
}
