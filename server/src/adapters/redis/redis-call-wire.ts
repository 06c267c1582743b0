/** The wire format and keys shared by the replicas' model port (`redis-model-port`) and the call workers. */
import { Usage } from '@revo/actors';
import { z } from 'zod';
import { type RedisClient, connectWithin, keysUnder } from './redis-client';

export const GROUP = 'workers';
export const DAY = 24 * 60 * 60;

/** A model call as it waits in the stream: the request without its signal and callback. */
export const QueuedCall = z.object({
  key: z.object({ runId: z.string(), stepId: z.string(), agent: z.string(), attempt: z.number().int() }),
  model: z.object({ id: z.string(), provider: Usage.shape.provider, name: z.string(), local: z.boolean() }),
  agent: z.string(),
  system: z.string(),
  prompt: z.string(),
  jsonSchema: z.record(z.string(), z.unknown()),
});
export type QueuedCall = z.infer<typeof QueuedCall>;
const Reply = z.object({ text: z.string(), tokensIn: z.number(), tokensOut: z.number() });
/** A finished call, kept under `call-result:<key>` so a call is never paid for twice. */
export const CallResult = z.union([z.object({ ok: Reply }), z.object({ error: z.string(), transient: z.boolean() })]);
export type CallResult = z.infer<typeof CallResult>;
/** What a worker publishes on a call's channel. `cancelled`: nobody ran it, a waiter may submit it again. */
export const CallMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('token'), delta: z.string() }),
  z.object({ type: z.literal('done'), reply: Reply }),
  z.object({
    type: z.literal('error'),
    message: z.string(),
    transient: z.boolean(),
    cancelled: z.boolean().optional(),
  }),
]);
export type CallMessage = z.infer<typeof CallMessage>;
export const StreamEntry = z.object({ id: z.string(), message: z.record(z.string(), z.unknown()) });

export function parseJson<T>(schema: z.ZodType<T>, text: string | null | undefined): T | undefined {
  if (text == null) return undefined;
  try {
    return schema.safeParse(JSON.parse(text)).data;
  } catch {
    return undefined;
  }
}

export function callKeys(prefix: string | undefined) {
  const key = keysUnder(prefix);
  return {
    stream: key('calls'),
    cancels: key('call-cancel'),
    channel: (call: string) => key('call', call),
    result: (call: string) => key('call-result', call),
    submitted: (call: string) => key('call-submitted', call),
    cancelled: (call: string) => key('call-cancelled', call),
    lock: (call: string) => key('call-lock', call),
  };
}

export async function openConnection(client: RedisClient, label: string, timeoutMs = 5_000): Promise<RedisClient> {
  const connection = client.duplicate();
  // Reconnects are handled by the client; their errors are only noise here.
  connection.on('error', () => {});
  return connectWithin(connection, label, timeoutMs);
}
