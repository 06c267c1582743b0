import {
  type Fence,
  FencedError,
  type ListOptions,
  type Page,
  type PersistedActor,
  type RunStore,
  decodeCursor,
  encodeCursor,
  isAfter,
} from '@revo/actors';
import { type RedisClient, type RedisKeyOptions, keysUnder } from './redis-client';

interface Entry {
  id: string;
  sortKey: number;
}

/** How many index entries one round trip reads while a page fills. */
const BATCH = 100;

/**
 * Fenced writes: KEYS[1] is the root's fence counter, ARGV[1] the writer's token; the write runs
 * only when they agree (a replica that lost its lease holds an older token). Returns 0 when refused.
 */
const FENCED_HSET = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) return 1`;
const FENCED_HDEL = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[2], ARGV[2]) return 1`;
const FENCED_PUT_RECORD = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2]) return 1`;

/** The key holding a root's current fencing token (written by the Redis ownership adapter). */
export const fenceKey = (prefix: string | undefined, rootId: string) => keysUnder(prefix)('fence', rootId);

/**
 * The run store on Redis. Actors live in one hash (`<prefix>actors`, id → JSON). Each collection
 * is a hash of id → JSON (`<prefix>records:<collection>`) plus a sorted set of ids
 * (`<prefix>index:<collection>`) scored by the negated sort key: ascending order is then newest
 * first with ties by id ascending, the order of `byNewest` (Redis compares ids as bytes, which
 * agrees with JavaScript's `<` for every id outside the surrogate range).
 *
 * The caller owns `client`: `close()` leaves it open.
 */
export function createRedisRunStore(client: RedisClient, options: RedisKeyOptions = {}): RunStore {
  const key = keysUnder(options.prefix);
  const actorsKey = key('actors');
  const recordsKey = (collection: string) => key('records', collection);
  const indexKey = (collection: string) => key('index', collection);

  /** Index entries in newest-first order after the cursor position, read a batch at a time. */
  async function* entries(collection: string, cursor: Entry | undefined): AsyncGenerator<Entry> {
    // Continue from score `min` inclusive, skipping the `offset` entries of that score already read.
    let min: number | string = cursor ? -cursor.sortKey : '-inf';
    let offset = 0;
    for (;;) {
      const batch = await client.zRangeWithScores(indexKey(collection), min, '+inf', {
        BY: 'SCORE',
        LIMIT: { offset, count: BATCH },
      });
      for (const { value, score } of batch) {
        const entry = { id: value, sortKey: 0 - score };
        if (!cursor || isAfter(entry, cursor)) yield entry;
      }
      const last = batch.at(-1);
      if (!last || batch.length < BATCH) return;
      if (last.score === min) offset += batch.length;
      else {
        min = last.score;
        offset = batch.filter((e) => e.score === last.score).length;
      }
    }
  }

  async function fenced(fence: Fence, script: string, keys: string[], args: string[]) {
    const done = await client.eval(script, {
      keys: [fenceKey(options.prefix, fence.id), ...keys],
      arguments: [String(fence.token), ...args],
    });
    if (done !== 1) throw new FencedError(fence.id);
  }

  return {
    async saveActor(actor, fence) {
      const json = JSON.stringify(actor);
      if (fence) await fenced(fence, FENCED_HSET, [actorsKey], [actor.id, json]);
      else await client.hSet(actorsKey, actor.id, json);
    },
    async removeActor(id, fence) {
      if (fence) await fenced(fence, FENCED_HDEL, [actorsKey], [id]);
      else await client.hDel(actorsKey, id);
    },
    async loadActors() {
      const values = await client.hVals(actorsKey);
      return values.map((json) => JSON.parse(json) as PersistedActor);
    },
    actorIds: () => client.hKeys(actorsKey),
    async loadActor(id) {
      const json = await client.hGet(actorsKey, id);
      return json == null ? undefined : (JSON.parse(json) as PersistedActor);
    },
    async putRecord(collection, id, record, sortKey, fence) {
      if (fence) {
        await fenced(
          fence,
          FENCED_PUT_RECORD,
          [recordsKey(collection), indexKey(collection)],
          [id, JSON.stringify(record), String(-sortKey)],
        );
        return;
      }
      // One transaction, so a listing never sees the index and the record disagree.
      await client
        .multi()
        .hSet(recordsKey(collection), id, JSON.stringify(record))
        .zAdd(indexKey(collection), { score: -sortKey, value: id })
        .exec();
    },
    async getRecord<T>(collection: string, id: string) {
      const json = await client.hGet(recordsKey(collection), id);
      return json == null ? undefined : (JSON.parse(json) as T);
    },
    async deleteRecord(collection, id) {
      await client.multi().hDel(recordsKey(collection), id).zRem(indexKey(collection), id).exec();
    },
    async listRecords<T>(collection: string, options: ListOptions<T> = {}): Promise<Page<T>> {
      const limit = options.limit ?? 20;
      const cursor = options.after ? decodeCursor(options.after) : undefined;
      const items: T[] = [];
      let last: Entry | undefined;
      let pending: Entry[] = [];
      const flush = async (): Promise<boolean> => {
        const ids = pending.map((e) => e.id);
        const values = ids.length ? await client.hmGet(recordsKey(collection), ids) : [];
        const batch = pending;
        pending = [];
        for (const [i, entry] of batch.entries()) {
          const json = values[i];
          if (json == null) continue;
          const record = JSON.parse(json) as T;
          if (options.filter && !options.filter(record)) continue;
          // One more match past a full page: there is a next page.
          if (items.length === limit) return true;
          items.push(record);
          last = entry;
        }
        return false;
      };
      let more = false;
      for await (const entry of entries(collection, cursor)) {
        pending.push(entry);
        // Enough to finish the page if every one matches, so an unfiltered page is one HMGET.
        if (pending.length < Math.min(BATCH, limit + 1 - items.length)) continue;
        more = await flush();
        if (more) break;
      }
      if (!more) more = await flush();
      return { items, nextCursor: more && last ? encodeCursor(last.sortKey, last.id) : null };
    },
    async close() {},
  };
}
