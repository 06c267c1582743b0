import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type Fence, type RunEventBody, conversationOf } from '@revo/actors';

/** The root a run's state belongs to: the workflow itself, or the conversation of a turn. */
export const rootOf = (runId: string): string => conversationOf(runId) ?? runId;

/** A replica's hold on one root actor: its id and the fencing token the lease was granted with. */
export type Lease = Fence;

/**
 * Who owns which root actor (workflow or conversation). Exactly one replica at a time runs a root;
 * it holds a lease that it renews, and writes its state with the lease's fencing token. A replica
 * that dies stops renewing; once the lease lapses another replica acquires it (a new token) and
 * restores the root from its persisted snapshot.
 */
export interface Ownership {
  /** This process: `<replica id>/<incarnation>`; a restarted replica keeps its id, not its incarnation. */
  readonly self: string;
  /** True when other processes may own roots (Redis); false in one process, where everything is ours. */
  readonly shared: boolean;
  /** How long a lease lasts without renewal, in ms. */
  readonly leaseMs: number;
  /** Takes the lease when nobody holds it (or only a previous incarnation of this replica did). */
  acquire(id: string): Promise<Lease | undefined>;
  /** Extends the leases; returns the ids that are no longer ours. */
  renew(leases: readonly Lease[]): Promise<string[]>;
  /** Lets go of a lease; `finished`: the root will not be written again, its fence may expire. */
  release(lease: Lease, finished: boolean): Promise<void>;
  /** Each id's holder (`self` form), or undefined when it is free to take (lapsed, or our own previous life). */
  holders(ids: readonly string[]): Promise<(string | undefined)[]>;
}

/** What one replica asks the owner of a root to do. */
export type RootCommand =
  /** Deliver an event to the root actor (cancel, decide, a chat message). */
  | { type: 'send'; rootId: string; event: { type: string } & Record<string, unknown> }
  /** Publish a domain event on a run the owner is running (feedback while it runs). */
  | { type: 'publish'; rootId: string; body: RunEventBody };

export type CommandReply =
  | { ok: true; record?: unknown }
  | { ok: false; code: 'NOT_OWNER' | 'FAILED'; message: string };

/** Commands between replicas: `request` asks the replica `to` and waits for its reply. */
export interface CommandBus {
  request(to: string, command: RootCommand): Promise<CommandReply>;
  /** Answers commands addressed to this process; resolves once it is listening. */
  serve(handler: (command: RootCommand) => Promise<CommandReply>): Promise<void>;
  close(): Promise<void>;
}

/** The id of a replica process when none is configured: stable across restarts on the same host and port. */
export function defaultReplicaId(hostname: string, port: number, pid: number): string {
  return port > 0 ? `${hostname}:${port}` : `${hostname}:pid${pid}`;
}

/** This process's name among replicas: the setting, or `<hostname>:<PORT>` (stable across restarts). */
export const replicaIdOf = (env: { REVO_REPLICA_ID?: string | undefined; PORT: number }) =>
  env.REVO_REPLICA_ID ?? defaultReplicaId(hostname(), env.PORT, process.pid);

/** `<replica>/<incarnation>`: the incarnation tells this process from the replica's previous lives. */
export const ownerName = (replicaId: string) => `${replicaId}/${randomUUID().slice(0, 8)}`;

/** The replica part of an owner name. */
export const replicaOf = (owner: string) => owner.slice(0, owner.lastIndexOf('/'));

/** One process owns everything it runs: leases are granted at once and never lapse. */
export function createLocalOwnership(replicaId = 'local'): Ownership {
  return {
    self: ownerName(replicaId),
    shared: false,
    leaseMs: Number.POSITIVE_INFINITY,
    acquire: async (id) => ({ id, token: 0 }),
    renew: async () => [],
    release: async () => {},
    holders: async (ids) => ids.map(() => undefined),
  };
}
