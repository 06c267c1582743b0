import { type CallJournal, type CallKey, type JournalEntry, callKeyString } from '../ports/call-journal';

/** The in-memory journal: enough for one process; the Redis journal survives restarts. */
export function createMemoryCallJournal(): CallJournal & { readonly size: number } {
  // Per run, so a finished run's entries go at once.
  const runs = new Map<string, Map<string, JournalEntry>>();
  let size = 0;
  return {
    get: async (key: CallKey) => runs.get(key.runId)?.get(callKeyString(key)),
    put: async (key: CallKey, entry: JournalEntry) => {
      let entries = runs.get(key.runId);
      if (!entries) {
        entries = new Map();
        runs.set(key.runId, entries);
      }
      if (!entries.has(callKeyString(key))) size += 1;
      entries.set(callKeyString(key), entry);
    },
    forgetRun(runId: string) {
      size -= runs.get(runId)?.size ?? 0;
      runs.delete(runId);
    },
    get size() {
      return size;
    },
  };
}
