import { type CallJournal, type CallKey, type JournalEntry, callKeyString } from '../ports/call-journal';

/** The in-memory journal: enough for one process; the Redis journal survives restarts. */
export function createMemoryCallJournal(): CallJournal & { readonly size: number } {
  const entries = new Map<string, JournalEntry>();
  return {
    get: async (key: CallKey) => entries.get(callKeyString(key)),
    put: async (key: CallKey, entry: JournalEntry) => {
      entries.set(callKeyString(key), entry);
    },
    get size() {
      return entries.size;
    },
  };
}
