import { type CallJournal, type JournalEntry, callKeyString } from '@revo/actors';
import { type RedisClient, type RedisKeyOptions, keysUnder } from './redis-client';

export interface RedisCallJournalOptions extends RedisKeyOptions {
  /** How long a recorded reply is kept: longer than any run can be paused and restored. @default 604800 (7 days) */
  ttlSeconds?: number;
}

/**
 * The call journal on Redis, so replies survive a restart: one key per call
 * (`<prefix>journal:<runId>/<stepId>/<agent>/<attempt>`) holding the entry's JSON, expiring after
 * `ttlSeconds`. The caller owns `client`.
 */
export function createRedisCallJournal(client: RedisClient, options: RedisCallJournalOptions = {}): CallJournal {
  const key = keysUnder(options.prefix);
  const ttl = options.ttlSeconds ?? 7 * 24 * 60 * 60;
  return {
    async get(call) {
      const json = await client.get(key('journal', callKeyString(call)));
      return json == null ? undefined : (JSON.parse(json) as JournalEntry);
    },
    async put(call, entry) {
      await client.set(key('journal', callKeyString(call)), JSON.stringify(entry), { EX: ttl });
    },
  };
}
