import { fromCallback } from 'xstate';
import type { Usage } from '../domain/usage';
import type { CallJournal } from '../ports/call-journal';
import { type ModelPort, TransientModelError } from '../ports/model-port';
import type { ModelCallEvent, ModelCallInput } from './agent.machine';

export interface ModelCallPorts {
  models: ModelPort;
  journal: CallJournal;
  /** Milliseconds clock for latency. @default performance.now */
  now?: () => number;
}

/**
 * The agent's `callModel` actor: the memoised step executor. A reply already in the journal for
 * this (run, step, agent, attempt) is replayed without calling the model; a new reply is recorded
 * before the machine sees it. Stopping the actor aborts the request.
 */
export function createCallModel({ models, journal, now = () => performance.now() }: ModelCallPorts) {
  return fromCallback<ModelCallEvent, ModelCallInput>(({ input, sendBack }) => {
    const controller = new AbortController();
    // Once the reply or the error has gone back there is nothing left to abort; aborting anyway
    // costs an Error with its stack trace and an abort event on every finished call.
    let settled = false;
    const send = (event: ModelCallEvent) => {
      if (controller.signal.aborted) return;
      if (event.type !== 'model.token') {
        settled = true;
        clearTimeout(timer);
      }
      sendBack(event);
    };
    // The attempt's timeout: one timer here rather than one more actor per call.
    const timer = setTimeout(
      () => {
        if (!settled) sendBack({ type: 'deadline.reached' });
      },
      Math.min(Math.max(0, input.deadlineAt - Date.now()), 2_147_483_647),
    );
    const run = async () => {
      const recorded = await journal.get(input.key);
      if (recorded) {
        send({ type: 'model.reply', reply: recorded.reply, usage: recorded.usage });
        return;
      }
      if (controller.signal.aborted) return;
      const started = now();
      const reply = await models.complete({
        model: input.model,
        agent: input.agent,
        system: input.system,
        prompt: input.prompt,
        jsonSchema: input.jsonSchema,
        key: input.key,
        signal: controller.signal,
        onToken: (delta) => send({ type: 'model.token', delta }),
      });
      const usage: Usage = {
        model: input.model.id,
        provider: input.model.provider,
        local: input.model.local,
        tokensIn: reply.tokensIn,
        tokensOut: reply.tokensOut,
        costUsd: models.price(input.model, reply.tokensIn, reply.tokensOut),
        latencyMs: Math.max(0, Math.round((now() - started) * 100) / 100),
      };
      await journal.put(input.key, { reply, usage });
      send({ type: 'model.reply', reply, usage });
    };
    run().catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      send({ type: 'model.error', message, transient: isTransient(error) });
    });
    return () => {
      clearTimeout(timer);
      if (!settled) controller.abort(new Error('agent stopped'));
    };
  });
}

function isTransient(error: unknown): boolean {
  if (error instanceof TransientModelError) return true;
  const code =
    (error as { code?: string; cause?: { code?: string } } | null)?.cause?.code ?? (error as { code?: string })?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'UND_ERR_SOCKET';
}
