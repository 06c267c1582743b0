import type { Usage } from '../domain/usage';
import type { ModelReply } from './model-port';

/** A model call's identity: the same key is the same purchase. */
export interface CallKey {
  runId: string;
  stepId: string;
  agent: string;
  attempt: number;
}

export const callKeyString = (key: CallKey): string => `${key.runId}/${key.stepId}/${key.agent}/${key.attempt}`;

/** A recorded reply with the usage it was bought for. */
export interface JournalEntry {
  reply: ModelReply;
  usage: Usage;
}

/**
 * Where model replies are recorded before the machine sees them. XState re-runs in-flight actors
 * when a persisted snapshot is restored; the journal turns those re-runs into replays.
 */
export interface CallJournal {
  get(key: CallKey): Promise<JournalEntry | undefined>;
  put(key: CallKey, entry: JournalEntry): Promise<void>;
  /** Drops a finished run's entries where the store does not expire them by itself. */
  forgetRun?(runId: string): void;
}
