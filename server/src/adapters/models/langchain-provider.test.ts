import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import { describe, expect, it } from 'vitest';
import { type ModelRef, type ModelRequest, TransientModelError } from '@revo/actors';
import { createLangchainProvider, ModelNotFoundError, toModelError } from './langchain-provider';

/** Streams the given chunks; remembers the messages and signal it was called with. */
class ScriptedChatModel extends BaseChatModel {
  seen: { messages: BaseMessage[]; signal?: AbortSignal } | undefined;
  constructor(private readonly chunks: AIMessageChunk[]) {
    super({});
  }
  _llmType() {
    return 'scripted';
  }
  async _generate(): Promise<ChatResult> {
    throw new Error('only streams');
  }
  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    _run?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    this.seen = { messages, signal: options.signal };
    for (const message of this.chunks) {
      yield new ChatGenerationChunk({ message, text: typeof message.content === 'string' ? message.content : '' });
    }
  }
}

const model: ModelRef = { id: 'fake:scripted', provider: 'fake', name: 'scripted', local: true };

const request = (extra: Partial<ModelRequest> = {}): ModelRequest => ({
  model,
  agent: 'coder',
  system: 'sys',
  prompt: 'prompt!!',
  jsonSchema: {},
  signal: new AbortController().signal,
  ...extra,
});

describe('createLangchainProvider', () => {
  it('reports non-empty text deltas in order and sums usage_metadata', async () => {
    const chat = new ScriptedChatModel([
      new AIMessageChunk({ content: 'Hel' }),
      new AIMessageChunk({ content: '' }),
      new AIMessageChunk({ content: 'lo' }),
      new AIMessageChunk({ content: '', usage_metadata: { input_tokens: 11, output_tokens: 2, total_tokens: 13 } }),
    ]);
    const provider = createLangchainProvider({ provider: 'fake', createChatModel: () => chat });
    const deltas: string[] = [];
    const reply = await provider.complete(request({ onToken: (d) => deltas.push(d) }));
    expect(deltas).toEqual(['Hel', 'lo']);
    expect(reply).toEqual({ text: 'Hello', tokensIn: 11, tokensOut: 2 });
    expect(chat.seen?.messages.map((m) => [m.type, m.content])).toEqual([
      ['system', 'sys'],
      ['human', 'prompt!!'],
    ]);
  });

  it('falls back to Ollama counts in response_metadata, then to a chars/4 estimate', async () => {
    const withMeta = new ScriptedChatModel([
      new AIMessageChunk({ content: 'abcdefgh', response_metadata: { prompt_eval_count: 9, eval_count: 0 } }),
    ]);
    const reply = await createLangchainProvider({ provider: 'fake', createChatModel: () => withMeta }).complete(
      request(),
    );
    expect(reply).toEqual({ text: 'abcdefgh', tokensIn: 9, tokensOut: 2 });
  });

  it('streams reasoning_content inside think tags and leaves it out of the text', async () => {
    const thought = (r: string) => new AIMessageChunk({ content: '', additional_kwargs: { reasoning_content: r } });
    const chat = new ScriptedChatModel([thought('Hmm, '), thought('JSON.'), new AIMessageChunk({ content: '{}' })]);
    const deltas: string[] = [];
    const reply = await createLangchainProvider({ provider: 'fake', createChatModel: () => chat }).complete(
      request({ onToken: (d) => deltas.push(d) }),
    );
    expect(deltas).toEqual(['<think>Hmm, ', 'JSON.', '</think>\n{}']);
    expect(reply).toMatchObject({ text: '{}', tokensOut: 3 });
  });

  it('omits the system message when there is none', async () => {
    const chat = new ScriptedChatModel([new AIMessageChunk({ content: 'x' })]);
    await createLangchainProvider({ provider: 'fake', createChatModel: () => chat }).complete(request({ system: '' }));
    expect(chat.seen?.messages.map((m) => m.type)).toEqual(['human']);
  });

  it('hands the factory a signal that aborts when the caller aborts', async () => {
    const controller = new AbortController();
    let given: AbortSignal | undefined;
    const chat = new ScriptedChatModel([new AIMessageChunk({ content: 'a' }), new AIMessageChunk({ content: 'b' })]);
    const call = createLangchainProvider({
      provider: 'fake',
      createChatModel: (_model, _schema, signal) => {
        given = signal;
        return chat;
      },
    }).complete(request({ signal: controller.signal, onToken: () => controller.abort() }));
    await expect(call).rejects.toMatchObject({ name: 'AbortError', message: 'fake:scripted call aborted' });
    expect(given?.aborted).toBe(true);
  });
});

describe('toModelError', () => {
  const missing = (m: ModelRef) => `${m.name} missing`;
  const refused = Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
  });
  const http = (status: number, message: string) => Object.assign(new Error(message), { status_code: status });

  it('treats refused connections, 5xx, 429 and timeouts as transient', () => {
    expect(toModelError(refused, model, missing)).toBeInstanceOf(TransientModelError);
    expect(toModelError(http(503, 'busy'), model, missing)).toBeInstanceOf(TransientModelError);
    expect(toModelError(Object.assign(new Error('slow'), { status: 429 }), model, missing)).toBeInstanceOf(
      TransientModelError,
    );
    expect(toModelError(new DOMException('t', 'TimeoutError'), model, missing)).toBeInstanceOf(TransientModelError);
  });

  it('turns a 404 about the model into ModelNotFoundError with the given message', () => {
    const error = toModelError(http(404, 'model "x" not found, try pulling it first'), model, missing);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect(error.message).toBe('scripted missing');
  });

  it('keeps other failures non-transient', () => {
    const notFound = toModelError(http(404, '404 page not found'), model, missing);
    expect(notFound).not.toBeInstanceOf(ModelNotFoundError);
    expect(notFound).not.toBeInstanceOf(TransientModelError);
    expect(toModelError(http(400, 'bad format'), model, missing)).not.toBeInstanceOf(TransientModelError);
    const odd = new Error('odd');
    expect(toModelError(odd, model, missing)).toBe(odd);
  });
});
