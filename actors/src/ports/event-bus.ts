import type { RunEvent } from '../domain/run-event';
import type { Fence } from './run-store';

export type Unsubscribe = () => Promise<void>;

/**
 * Carries run events between the actor host and subscribers, in one process or across replicas.
 * Durable events are appended to their run's log before anyone can see them, so a subscriber that
 * subscribes first and reads the log second misses nothing. Events of one run arrive in publish order.
 */
export interface EventBus {
  /** With `fence`, a shared bus refuses (`FencedError`) an event from a replica that no longer owns the run. */
  publish(event: RunEvent, fence?: Fence): Promise<void>;
  /** The run's durable events with `seq > afterSeq`, oldest first. */
  history(runId: string, afterSeq?: number): Promise<RunEvent[]>;
  /**
   * Listens on a channel: a run id, a conversation id (every turn of it), or `*` (every run).
   * Resolves once the subscription is live.
   */
  subscribe(channel: string, listener: (event: RunEvent) => void): Promise<Unsubscribe>;
  /**
   * Drops the run's durable events with `seq > afterSeq`. On restore: events of transitions the
   * restored snapshot does not hold (the process died between writing them and the snapshot); the
   * restored actor publishes them again under the same numbers.
   */
  truncate(runId: string, afterSeq: number): Promise<void>;
  close(): Promise<void>;
  /** Drops a run's log, for buses that keep logs in process memory. */
  forget?(runId: string): void;
}

/** Every run's events, on one channel. */
export const ALL_RUNS = '*';

/**
 * Token deltas are ephemeral: delivered live, never stored or replayed (the step's answer carries
 * the text). They carry the `seq` of the last durable event of their run.
 */
export const isEphemeral = (event: Pick<RunEvent, 'type'>): boolean => event.type === 'agent.token';

const TURN = /^(.+)\.t\d+$/;

/** The run id of a conversation's turn `n`: `<conversationId>.t<n>`. */
export const turnRunId = (conversationId: string, turn: number): string => `${conversationId}.t${turn}`;

/** A conversation's turns run as `<conversationId>.t<n>`; their events also go to the conversation. */
export const conversationOf = (runId: string): string | undefined => TURN.exec(runId)?.[1];

/** The channels an event is delivered on. */
export function channelsOf(runId: string): string[] {
  const conversation = conversationOf(runId);
  return conversation ? [runId, conversation, ALL_RUNS] : [runId, ALL_RUNS];
}
