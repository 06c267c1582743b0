import {
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

  return {
    async saveActor(actor) {
      await client.hSet(actorsKey, actor.id, JSON.stringify(actor));
    },
    async removeActor(id) {
      await client.hDel(actorsKey, id);
    },
    async loadActors() {
      const values = await client.hVals(actorsKey);
      return values.map((json) => JSON.parse(json) as PersistedActor);
    },
    async putRecord(collection, id, record, sortKey) {
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
