import { randomUUID } from 'node:crypto';
import {
  type CallKey,
  type ModelPort,
  type ModelReply,
  type ModelRequest,
  TransientModelError,
  callKeyString,
} from '@revo/actors';
import type { RedisClient, RedisKeyOptions } from './redis-client';
import { CallMessage, CallResult, type QueuedCall, callKeys, openConnection, parseJson } from './redis-call-wire';

// Marks the call submitted and queues it in one step, so a marker never outlives a lost XADD.
const SUBMIT = `if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('XADD', KEYS[2], '*', 'call', ARGV[2])
end
return false`;

const errorOf = (message: { message: string; transient: boolean }) =>
  message.transient ? new TransientModelError(message.message) : new Error(message.message);

export interface RemoteModelPortOptions extends RedisKeyOptions {
  /** How long a call's `call-submitted` marker stops other replicas from queueing it again, in seconds. @default 3600 */
  submittedTtlSeconds?: number;
  /** How long connecting the subscriber connection may take. @default 5000 */
  connectTimeoutMs?: number;
  /**
   * Asked when an agent's call (one with a `key`) is aborted: true when the call is handed over
   * rather than given up (this replica closes, or no longer owns the run), so the port stops
   * waiting but sends no cancel: the worker runs it on, and the next owner, issuing the same
   * key, gets its result without paying for it again. @default never
   */
  abandon?: (key: CallKey) => boolean;
}

/**
 * A model port whose calls run on `worker` processes (`startCallWorker`): `complete` listens on
 * `<prefix>call:<key>`, answers from `<prefix>call-result:<key>` when the call already ran, else
 * queues it on `<prefix>calls` unless another replica did (`<prefix>call-submitted:<key>`), and
 * waits for the worker's tokens and reply. Aborting the request flags the call
 * (`<prefix>call-cancelled:<key>`, for a worker yet to read it) and publishes its key on
 * `<prefix>call-cancel` (for the worker running it), unless `abandon` says the call is handed
 * over. Another replica waiting on a call given up this way queues it again. Chains and prices
 * come from `local`. The caller owns `client`; the port keeps one subscriber connection, opened on
 * the first call and closed by `close()`.
 */
export function createRemoteModelPort(
  local: ModelPort,
  client: RedisClient,
  options: RemoteModelPortOptions = {},
): ModelPort & { close(): Promise<void> } {
  const keys = callKeys(options.prefix);
  const ttl = options.submittedTtlSeconds ?? 3_600;
  const channels = new Map<string, { listeners: Set<(message: CallMessage) => void>; ready: Promise<unknown> }>();
  const unsubscribing = new Map<string, Promise<unknown>>();
  const pending = new Set<(error: Error) => void>();
  let subscriber: Promise<RedisClient> | undefined;
  let closed = false;
  /** A throwing `abandon` counts as no: the call is cancelled as before. */
  const handedOver = (key: CallKey) => {
    try {
      return options.abandon?.(key) === true;
    } catch {
      return false;
    }
  };

  const dispatch = (text: string, channel: string) => {
    const message = parseJson(CallMessage, text);
    if (!message) return; // not ours
    for (const listener of channels.get(channel)?.listeners ?? []) listener(message);
  };

  async function listen(channel: string, listener: (message: CallMessage) => void): Promise<() => void> {
    subscriber ??= openConnection(client, 'the call subscriber connection', options.connectTimeoutMs).catch(
      (error: unknown) => {
        subscriber = undefined;
        throw error;
      },
    );
    const connection = await subscriber;
    let entry = channels.get(channel);
    if (!entry) {
      const listeners = new Set<(message: CallMessage) => void>();
      const ready = (async () => {
        await unsubscribing.get(channel);
        await connection.subscribe(channel, dispatch);
      })().catch((error: unknown) => {
        if (channels.get(channel)?.listeners === listeners) channels.delete(channel);
        throw error;
      });
      entry = { listeners, ready };
      channels.set(channel, entry);
    }
    const { listeners } = entry;
    listeners.add(listener);
    await entry.ready;
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0 || channels.get(channel)?.listeners !== listeners) return;
      channels.delete(channel);
      const done = connection.unsubscribe(channel, dispatch).catch(() => {});
      unsubscribing.set(channel, done);
      void done.then(() => unsubscribing.get(channel) === done && unsubscribing.delete(channel));
    };
  }

  async function complete(request: ModelRequest): Promise<ModelReply> {
    if (closed) throw new Error('the remote model port is closed');
    request.signal.throwIfAborted();
    const key = request.key ?? { runId: `call-${randomUUID()}`, stepId: 'call', agent: request.agent, attempt: 1 };
    const id = callKeyString(key);
    const { model, agent, system, prompt, jsonSchema } = request;
    const call = JSON.stringify({ key, model, agent, system, prompt, jsonSchema } satisfies QueuedCall);
    const submit = () =>
      client.eval(SUBMIT, { keys: [keys.submitted(id), keys.stream], arguments: [String(ttl), call] });
    let fail: (error: unknown) => void = () => {};
    let succeed: (reply: ModelReply) => void = () => {};
    const outcome = new Promise<ModelReply>((resolve, reject) => {
      succeed = resolve;
      fail = reject;
    });
    outcome.catch(() => {}); // awaited below unless the call ends before that
    const onAbort = () => {
      fail(request.signal.reason);
      if (request.key && handedOver(request.key)) return;
      // The flag is for a worker that reads the entry later; the one running it hears the cancel.
      void client
        .multi()
        .set(keys.cancelled(id), '1', { EX: ttl })
        .publish(keys.cancels, id)
        .exec()
        .catch(() => {});
    };
    request.signal.addEventListener('abort', onAbort, { once: true });
    pending.add(fail);
    let stop = () => {};
    try {
      stop = await listen(keys.channel(id), (message) => {
        switch (message.type) {
          case 'token':
            request.onToken?.(message.delta);
            return;
          case 'done':
            succeed(message.reply);
            return;
          case 'error':
            // Another waiter gave the call up; this one still wants it.
            if (message.cancelled && !request.signal.aborted) submit().catch(fail);
            else fail(errorOf(message));
            return;
        }
      });
      // Listening first: a result stored after this read is still heard on the channel.
      const stored = parseJson(CallResult, await client.get(keys.result(id)));
      if (stored && 'ok' in stored) return stored.ok;
      if (stored) throw errorOf({ message: stored.error, transient: stored.transient });
      request.signal.throwIfAborted();
      await submit();
      return await outcome;
    } finally {
      request.signal.removeEventListener('abort', onAbort);
      pending.delete(fail);
      stop();
    }
  }

  return {
    chainFor: (agent) => local.chainFor(agent),
    price: (model, tokensIn, tokensOut) => local.price(model, tokensIn, tokensOut),
    complete,
    async close() {
      closed = true;
      for (const fail of pending) fail(new Error('the remote model port is closed'));
      const connection = await subscriber?.catch(() => undefined);
      subscriber = undefined;
      if (connection?.isOpen) await connection.close();
    },
  };
}
