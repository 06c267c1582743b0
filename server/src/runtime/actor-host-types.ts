import type { CallJournal, EventBus, RootKind, RunStore } from '@revo/actors';
import type { AnyActorRef, Snapshot } from 'xstate';
import type { CommandBus, Ownership } from './ownership';
import type { StepTimes } from './records';

export const WORKFLOWS = 'workflows';
export const CONVERSATIONS = 'conversations';
export const TEMPLATES = 'templates';
export const FEEDBACK = 'feedback';
/** Event logs of finished runs an in-process bus keeps for `workflow.events` (Redis keeps all). */
export const KEEP_FINISHED_LOGS = 1_000;

/** What the host remembers of a root actor besides its snapshot. */
export interface RootMeta {
  createdAt: number;
  /** When the actor last changed (conversations list by it). */
  updatedAt?: number;
  title?: string;
  templateId?: string;
  retryOf?: string;
}

export interface Root {
  id: string;
  kind: RootKind;
  actor: AnyActorRef & { getPersistedSnapshot(): Snapshot<unknown> };
  input: unknown;
  meta: RootMeta;
  /** Messages already announced as `message.added` (conversations). */
  announced: number;
}

export interface LiveWorkflow {
  ref: AnyActorRef;
  meta: RootMeta;
  times: StepTimes;
}

export interface ActorHostPorts {
  store: RunStore;
  bus: EventBus;
  journal: CallJournal;
  /** Who owns which root across replicas; one process owns all when absent. */
  ownership?: Ownership;
  /** Reaches the owner of a root that another replica runs. */
  commands?: CommandBus;
  /** Workflows this replica runs at once; more are refused (`HostBusyError`) rather than overload it. */
  maxWorkflows?: number;
  log?: (message: string) => void;
  now?: () => number;
}

/** This replica already runs as many workflows as it may: retry shortly, or on another replica. */
export class HostBusyError extends Error {
  override readonly name = 'HostBusyError';
}
