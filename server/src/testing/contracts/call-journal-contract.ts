import type { CallJournal, CallKey, JournalEntry } from '@revo/actors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** A fresh, empty journal and how to dispose of it. */
export interface CallJournalFixture {
  journal: CallJournal;
  cleanup(): Promise<void>;
}

const key = (overrides: Partial<CallKey> = {}): CallKey => ({
  runId: 'run-1',
  stepId: 'step-1',
  agent: 'writer',
  attempt: 1,
  ...overrides,
});

const entry = (text: string): JournalEntry => ({
  reply: { text, tokensIn: 12, tokensOut: 34 },
  usage: {
    model: 'llama3.1:8b',
    provider: 'ollama',
    local: true,
    tokensIn: 12,
    tokensOut: 34,
    costUsd: 0,
    latencyMs: 1_234.5,
  },
});

/** The behaviour every CallJournal adapter must share; registers a `describe` block. */
export function callJournalContract(name: string, factory: () => Promise<CallJournalFixture>): void {
  describe(name, () => {
    let journal: CallJournal;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ journal, cleanup } = await factory());
    });
    afterEach(() => cleanup());

    it('returns the entry recorded under a key', async () => {
      await journal.put(key(), entry('ünïcødé answer ✓'));
      expect(await journal.get(key())).toEqual(entry('ünïcødé answer ✓'));
    });

    it('answers undefined for a call never recorded', async () => {
      expect(await journal.get(key())).toBeUndefined();
      await journal.put(key(), entry('first'));
      expect(await journal.get(key({ runId: 'run-2' }))).toBeUndefined();
    });

    it('keeps each attempt, step, agent and run apart', async () => {
      const keys = [
        key(),
        key({ attempt: 2 }),
        key({ stepId: 'step-2' }),
        key({ agent: 'critic' }),
        key({ runId: 'r' }),
      ];
      for (const [i, k] of keys.entries()) await journal.put(k, entry(`reply ${i}`));
      for (const [i, k] of keys.entries()) expect(await journal.get(k)).toEqual(entry(`reply ${i}`));
    });

    it('replaces an entry recorded again under the same key', async () => {
      await journal.put(key(), entry('first'));
      await journal.put(key(), entry('second'));
      expect(await journal.get(key())).toEqual(entry('second'));
    });
  });
}
