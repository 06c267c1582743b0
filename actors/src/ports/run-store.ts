/** The kinds of root actor the host persists and restores. */
export type RootKind = 'workflow' | 'conversation';

/** A root actor as persisted after a transition: enough to restore it and carry it on. */
export interface PersistedActor {
  id: string;
  kind: RootKind;
  /** `actor.getPersistedSnapshot()`, JSON-safe. */
  snapshot: unknown;
  /** The input the actor was created with (machines need it again on restore). */
  input: unknown;
  /** The per-run event sequence reached when the snapshot was taken. */
  seq: number;
  savedAt: number;
}

/**
 * Proof of ownership for a write to a root actor's state: the root's id and the fencing token its
 * lease was granted with. A store shared by replicas refuses a write whose token is not the
 * root's current one (`FencedError`), so a replica that lost its lease (paused, partitioned) cannot
 * overwrite what the new owner wrote. Stores of one process ignore it.
 */
export interface Fence {
  id: string;
  token: number;
}

/** A write carried a fencing token that is no longer the root's current one: another replica owns it. */
export class FencedError extends Error {
  override readonly name = 'FencedError';
  constructor(readonly rootId: string) {
    super(`the run "${rootId}" is owned by another replica now; this write was refused`);
  }
}

/** One page of records, newest first; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ListOptions<T> {
  /** @default 20 */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  after?: string | null;
  /** Keeps only matching records; pages stay full where enough records match. */
  filter?: (record: T) => boolean;
}

/**
 * Where the actor host keeps what must outlive a process: unfinished root actors' snapshots and the
 * records the API reads (workflows, conversations, templates, feedback). Records are listed newest
 * first by their sort key, ties broken by id.
 */
export interface RunStore {
  saveActor(actor: PersistedActor, fence?: Fence): Promise<void>;
  removeActor(id: string, fence?: Fence): Promise<void>;
  loadActors(): Promise<PersistedActor[]>;
  /** Ids of the persisted root actors (cheap: no snapshots). */
  actorIds(): Promise<string[]>;
  loadActor(id: string): Promise<PersistedActor | undefined>;
  putRecord<T>(collection: string, id: string, record: T, sortKey: number, fence?: Fence): Promise<void>;
  getRecord<T>(collection: string, id: string): Promise<T | undefined>;
  deleteRecord(collection: string, id: string): Promise<void>;
  listRecords<T>(collection: string, options?: ListOptions<T>): Promise<Page<T>>;
  close(): Promise<void>;
}

/** Cursors are opaque to clients; inside they are the sort key and id of the last record served. */
export const encodeCursor = (sortKey: number, id: string): string =>
  btoa(JSON.stringify([sortKey, id])).replaceAll('=', '');

export function decodeCursor(cursor: string): { sortKey: number; id: string } {
  try {
    const [sortKey, id] = JSON.parse(atob(cursor)) as unknown[];
    if (typeof sortKey === 'number' && typeof id === 'string') return { sortKey, id };
  } catch {
    // fall through to the readable error
  }
  throw new CursorError(`"${cursor.slice(0, 40)}" is not a cursor this server issued`);
}

export class CursorError extends Error {
  override readonly name = 'CursorError';
}

/** Orders records newest first, then by id, as every adapter must. */
export const byNewest = (a: { sortKey: number; id: string }, b: { sortKey: number; id: string }): number =>
  b.sortKey - a.sortKey || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** True when `entry` comes after the cursor position in newest-first order. */
export const isAfter = (entry: { sortKey: number; id: string }, cursor: { sortKey: number; id: string }): boolean =>
  byNewest(cursor, entry) < 0;
