/*
 * The wire format shared by the replicas' writer (`analytics-stream-writer`) and the ingesters
 * (`analytics-ingester`): keys, the consumer group, what an entry holds, and the Lua scripts.
 *
 * Run events from every replica to ClickHouse through one Redis stream. Keys, under the prefix:
 *   <prefix>analytics          stream; one entry per durable event, field `e` = the event as JSON.
 *                              Consumer group `ingesters`. Acked entries are deleted (XDEL), so the
 *                              stream holds only what is not yet ingested. Capped by XADD MAXLEN ~.
 *   <prefix>ingested:<runId>   hash, seq -> the stream id of the entry that claimed the event, or
 *                              `done` once that entry is acked; expires `markTtlSeconds` after the
 *                              run's last claim.
 */
import type { RunEvent, RunEventType } from '@revo/actors';
import { z } from 'zod';

export const GROUP = 'ingesters';
const DONE = 'done';
export const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/** Every stored run event type; `satisfies` makes a new type in the union fail here until it is listed. */
const STORED = {
  'workflow.created': true,
  'workflow.planned': true,
  'workflow.predicted': true,
  'workflow.state.changed': true,
  'workflow.revised': true,
  'workflow.budget.exceeded': true,
  'workflow.awaiting.human': true,
  'workflow.completed': true,
  'workflow.failed': true,
  'workflow.cancelled': true,
  'step.started': true,
  'step.completed': true,
  'step.failed': true,
  'step.skipped': true,
  'agent.attempt.started': true,
  'agent.token': false,
  'agent.attempt.failed': true,
  'agent.model.fallback': true,
  'agent.completed': true,
  'agent.failed': true,
  'conflict.detected': true,
  'discussion.round.started': true,
  'discussion.round.completed': true,
  'discussion.voted': true,
  'discussion.resolved': true,
  'discussion.escalated': true,
  'conflict.decided': true,
  'message.added': true,
  'feedback.given': true,
} as const satisfies Record<RunEventType, boolean>;

/** What an entry must hold to be recorded: the envelope every row is keyed by, and a stored type. */
const StreamEvent = z.looseObject({
  runId: z.string().min(1),
  seq: z.number().int().nonnegative(),
  at: z.number().finite(),
  type: z.string().refine((type) => STORED[type as RunEventType] === true, 'not a stored run event type'),
});

/** The event in an entry's fields, or why there is none. */
export function parseEntry(fields: string[]): RunEvent | string {
  let json: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'e') json = fields[i + 1];
  if (json === undefined) return 'no field `e`';
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return 'field `e` is not JSON';
  }
  const parsed = StreamEvent.safeParse(value);
  return parsed.success ? (parsed.data as unknown as RunEvent) : z.prettifyError(parsed.error).replace(/\n/g, ' ');
}

/** An entry as Redis returns it: id and flat field list, or null fields when it was deleted while pending. */
export type RawEntry = [id: string, fields: string[] | null];

/** The entries of a one-stream XREADGROUP reply: a RESP3 map, or a RESP2 list of [name, entries]. */
export function readReply(reply: unknown): RawEntry[] {
  if (reply == null || typeof reply !== 'object') return [];
  if (Array.isArray(reply)) return ((reply[0] as unknown[] | undefined)?.[1] ?? []) as RawEntry[];
  const values = reply instanceof Map ? [...reply.values()] : Object.values(reply);
  return (values[0] ?? []) as RawEntry[];
}

/**
 * Claims each (runId, seq) for one entry. KEYS: the stream, then each entry's mark key; ARGV: the
 * mark ttl, then seq and entry id per entry. 1 (record it) when unclaimed, claimed by this very
 * entry (redelivered: never acked, so maybe never written), or claimed by an entry that vanished
 * unacked (trimmed away); 0 (duplicate) when its claimer is acked (`done`) or still in the stream,
 * where whoever holds it will record it.
 */
export const CLAIM = `local out = {}
for i = 2, #KEYS do
  local seq, id = ARGV[2 * i - 2], ARGV[2 * i - 1]
  local mark = redis.call('HGET', KEYS[i], seq)
  local new = not mark or mark == id or (mark ~= '${DONE}' and #redis.call('XRANGE', KEYS[1], mark, mark) == 0)
  if new then
    redis.call('HSET', KEYS[i], seq, id)
    redis.call('EXPIRE', KEYS[i], ARGV[1])
  end
  out[#out + 1] = new and 1 or 0
end
return out`;

/**
 * Acks and deletes a batch's entries and marks what they recorded `done`, atomically. KEYS: the
 * stream, then the mark key per recorded event; ARGV: the group, the number n of entry ids, the
 * ids, then seq and entry id per recorded event.
 */
export const ACK = `local n = tonumber(ARGV[2])
for i = 3, n + 2 do
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
  redis.call('XDEL', KEYS[1], ARGV[i])
end
for i = 2, #KEYS do
  if redis.call('HGET', KEYS[i], ARGV[n + 2 * i - 1]) == ARGV[n + 2 * i] then
    redis.call('HSET', KEYS[i], ARGV[n + 2 * i - 1], '${DONE}')
  end
end
return n`;
