import {
  type ListOptions,
  type Page,
  type PersistedActor,
  type RunStore,
  byNewest,
  decodeCursor,
  encodeCursor,
  isAfter,
} from '../ports/run-store';

interface Entry {
  id: string;
  sortKey: number;
  json: string;
}

/**
 * The default run store: one process's memory. Values are kept as JSON so readers never share
 * objects with the live actors, exactly as with Redis.
 */
export function createMemoryRunStore(): RunStore {
  const actors = new Map<string, string>();
  const collections = new Map<string, Map<string, Entry>>();
  const collection = (name: string) => {
    let entries = collections.get(name);
    if (!entries) {
      entries = new Map();
      collections.set(name, entries);
    }
    return entries;
  };
  return {
    async saveActor(actor) {
      actors.set(actor.id, JSON.stringify(actor));
    },
    async removeActor(id) {
      actors.delete(id);
    },
    async loadActors() {
      return [...actors.values()].map((json) => JSON.parse(json) as PersistedActor);
    },
    async actorIds() {
      return [...actors.keys()];
    },
    async loadActor(id) {
      const json = actors.get(id);
      return json === undefined ? undefined : (JSON.parse(json) as PersistedActor);
    },
    async putRecord(name, id, record, sortKey) {
      collection(name).set(id, { id, sortKey, json: JSON.stringify(record) });
    },
    async getRecord<T>(name: string, id: string) {
      const entry = collections.get(name)?.get(id);
      return entry ? (JSON.parse(entry.json) as T) : undefined;
    },
    async deleteRecord(name, id) {
      collections.get(name)?.delete(id);
    },
    async listRecords<T>(name: string, options: ListOptions<T> = {}): Promise<Page<T>> {
      const limit = options.limit ?? 20;
      const cursor = options.after ? decodeCursor(options.after) : undefined;
      const sorted = [...(collections.get(name)?.values() ?? [])].sort(byNewest);
      const items: T[] = [];
      let last: Entry | undefined;
      let more = false;
      for (const entry of sorted) {
        if (cursor && !isAfter(entry, cursor)) continue;
        const record = JSON.parse(entry.json) as T;
        if (options.filter && !options.filter(record)) continue;
        if (items.length === limit) {
          more = true;
          break;
        }
        items.push(record);
        last = entry;
      }
      return { items, nextCursor: more && last ? encodeCursor(last.sortKey, last.id) : null };
    },
    async close() {},
  };
}
