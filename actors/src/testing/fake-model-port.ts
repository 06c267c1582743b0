import type { AgentProfile } from '../domain/agent-profile';
import {
  type ModelPort,
  type ModelRef,
  type ModelReply,
  type ModelRequest,
  TransientModelError,
} from '../ports/model-port';

/** What a scripted model does for one request. */
export type FakeBehaviour =
  | { reply: string | Record<string, unknown>; tokens?: string[]; delayMs?: number }
  | { error: string; transient?: boolean }
  | { hang: true };

export type FakeScript = (request: ModelRequest, callIndex: number) => FakeBehaviour;

export const fakeModel = (name: string, local = true): ModelRef => ({
  id: `fake:${name}`,
  provider: 'fake',
  name,
  local,
});

/** A JSON answer as a model would send it. */
export const answerJson = (position: string, confidence = 0.8, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ answer: `answer: ${position}`, position, confidence, rationale: `because ${position}`, ...extra });

/**
 * A model port for tests: scripted replies per request, every call recorded, and a per-call
 * promise so a test can wait for a call to start instead of sleeping.
 */
export function createFakeModelPort(script: FakeScript, options: { chain?: ModelRef[]; pricePer1k?: number } = {}) {
  const chain = options.chain ?? [fakeModel('primary'), fakeModel('secondary')];
  const calls: ModelRequest[] = [];
  const aborted: ModelRequest[] = [];
  const load = { inFlight: 0, peak: 0 };
  const waiters: { predicate: (r: ModelRequest) => boolean; resolve: (r: ModelRequest) => void }[] = [];
  const port: ModelPort = {
    chainFor: (_agent: AgentProfile) => chain,
    price: (model, tokensIn, tokensOut) =>
      model.local ? 0 : ((tokensIn + tokensOut) / 1000) * (options.pricePer1k ?? 0.01),
    complete: (request) => {
      calls.push(request);
      for (const w of [...waiters]) {
        if (w.predicate(request)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(request);
        }
      }
      const behaviour = script(request, calls.length - 1);
      load.inFlight++;
      load.peak = Math.max(load.peak, load.inFlight);
      return new Promise<ModelReply>((resolve, reject) => {
        const onAbort = () => {
          aborted.push(request);
          reject(request.signal.reason ?? new Error('aborted'));
        };
        if (request.signal.aborted) return onAbort();
        request.signal.addEventListener('abort', onAbort, { once: true });
        if ('hang' in behaviour) return;
        if ('error' in behaviour) {
          request.signal.removeEventListener('abort', onAbort);
          return reject(
            behaviour.transient === false ? new Error(behaviour.error) : new TransientModelError(behaviour.error),
          );
        }
        const text = typeof behaviour.reply === 'string' ? behaviour.reply : JSON.stringify(behaviour.reply);
        const finish = () => {
          request.signal.removeEventListener('abort', onAbort);
          for (const token of behaviour.tokens ?? [text]) request.onToken?.(token);
          resolve({ text, tokensIn: Math.ceil(request.prompt.length / 4), tokensOut: Math.ceil(text.length / 4) });
        };
        if (behaviour.delayMs) setTimeout(finish, behaviour.delayMs);
        else queueMicrotask(finish);
      }).finally(() => {
        load.inFlight--;
      });
    },
  };
  return {
    port,
    /** Calls in flight now, and the most there ever were at once. */
    load,
    calls,
    aborted,
    /** Resolves when a call matching the predicate starts (now or later). */
    nextCall(predicate: (r: ModelRequest) => boolean = () => true): Promise<ModelRequest> {
      const seen = calls.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
  };
}
