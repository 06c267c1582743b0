import type { PersistedActor, RunStore } from '@revo/actors';
import { type CommandBus, type CommandReply, type Lease, type Ownership, type RootCommand, rootOf } from './ownership';

/** What the coordinator needs from the actor host it serves. */
export interface CoordinatedHost {
  /** The root runs in this process. */
  runsHere(rootId: string): boolean;
  /** Workflows running here now, against `maxWorkflows`. */
  load(): number;
  maxWorkflows: number;
  closing(): boolean;
  /** Restores a persisted root whose lease this replica was just granted. */
  adopt(saved: PersistedActor): Promise<void>;
  /** Stops a root here without writing anything: another replica owns it now. */
  lose(rootId: string, why: string): void;
  /** Carries out a command on a root that runs here. */
  serve(command: RootCommand): Promise<CommandReply>;
  log(line: string): void;
}

/** The root is not running on any replica (finished, or its owner died and nobody took it over yet). */
export class NotLiveError extends Error {
  override readonly name = 'NotLiveError';
}

/**
 * One replica's part in sharing roots with the others: the leases it holds (and their fencing
 * tokens for writes), their renewal, taking over the roots of replicas that died, and commands to
 * and from the replicas that own other roots. In one process (`ownership.shared` false) it grants
 * everything at once and never runs its timers.
 */
export function createReplicaCoordinator(
  store: RunStore,
  ownership: Ownership,
  commands: CommandBus | undefined,
  host: CoordinatedHost,
) {
  const leases = new Map<string, Lease>();
  const timers: NodeJS.Timeout[] = [];

  /**
   * Takes over every persisted root nobody holds a lease on (its replica died, or this is the
   * first start), while this replica has room. Scans never overlap.
   */
  let scanning: Promise<{ workflows: number; conversations: number }> | undefined;
  function takeOver() {
    scanning ??= (async () => {
      const taken = { workflows: 0, conversations: 0 };
      const candidates = (await store.actorIds()).filter((id) => !host.runsHere(id) && !leases.has(id));
      const holders = await ownership.holders(candidates);
      for (const [i, id] of candidates.entries()) {
        if (holders[i] !== undefined || host.closing()) continue;
        if (host.load() >= host.maxWorkflows) break;
        const lease = await ownership.acquire(id);
        if (!lease) continue;
        const saved = await store.loadActor(id);
        if (!saved || host.closing()) {
          await ownership.release(lease, !saved);
          continue;
        }
        leases.set(id, lease);
        try {
          await host.adopt(saved);
        } catch (error) {
          leases.delete(id);
          await ownership.release(lease, false);
          host.log(`could not restore ${id}: ${String(error)}`);
          continue;
        }
        if (saved.kind === 'workflow') taken.workflows += 1;
        else taken.conversations += 1;
        if (ownership.shared) host.log(`took over ${saved.kind} ${id}`);
      }
      return taken;
    })().finally(() => {
      scanning = undefined;
    });
    return scanning;
  }

  /** Renews this replica's leases; roots whose lease is gone stop here. */
  async function renew() {
    for (const id of await ownership.renew([...leases.values()])) {
      leases.delete(id);
      host.lose(id, 'its lease lapsed');
    }
  }

  function every(ms: number, task: () => Promise<unknown>) {
    let running = false;
    const timer = setInterval(() => {
      if (running || host.closing()) return;
      running = true;
      task()
        .catch((error: unknown) => host.log(`ownership: ${String(error)}`))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    timers.push(timer);
  }

  async function local(command: RootCommand): Promise<{ record?: unknown }> {
    const reply = await host.serve(command);
    if (!reply.ok) throw new NotLiveError(reply.message);
    return { record: reply.record };
  }

  return {
    /** The fencing token to write a run's state and events with (replicas only). */
    fenceOf: (runId: string): Lease | undefined => (ownership.shared ? leases.get(rootOf(runId)) : undefined),

    /** Takes the lease of a root this replica is creating. */
    async claimNew(id: string): Promise<void> {
      const lease = await ownership.acquire(id);
      if (!lease) throw new Error(`could not take the lease of the new root ${id}`);
      leases.set(id, lease);
    },

    /** The lease of a finished root is let go for good; returns it for the last fenced write. */
    finished(id: string): { lease: Lease | undefined; release: () => Promise<void> } {
      const lease = leases.get(id);
      leases.delete(id);
      return {
        lease: ownership.shared ? lease : undefined,
        release: async () => {
          if (lease) await ownership.release(lease, true);
        },
      };
    },

    /** Forgets a lease this replica no longer holds. */
    dropped(id: string) {
      leases.delete(id);
    },

    /** Restores what nobody runs, then (replicas) keeps leases fresh and watches for dead replicas. */
    async start() {
      if (commands) await commands.serve((command) => host.serve(command));
      const taken = await takeOver();
      if (ownership.shared) {
        every(Math.max(50, Math.floor(ownership.leaseMs / 3)), renew);
        every(Math.max(50, Math.floor(ownership.leaseMs / 2)), takeOver);
      }
      return taken;
    },

    /** Stops the timers and waits for a scan in progress. */
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await scanning?.catch(() => undefined);
    },

    /** Lets every lease go (graceful stop): the roots move to another replica or the next start. */
    async releaseAll() {
      await Promise.allSettled([...leases.values()].map((lease) => ownership.release(lease, false)));
      leases.clear();
      await commands?.close();
    },

    /**
     * Carries out a command wherever its root runs: here, or through its owner. A root whose owner
     * died is taken over first. Throws `NotLiveError` when it runs nowhere.
     */
    async command(command: RootCommand): Promise<{ record?: unknown }> {
      if (host.runsHere(command.rootId)) return local(command);
      for (let attempt = 0; attempt < 2; attempt++) {
        const [holder] = ownership.shared ? await ownership.holders([command.rootId]) : [undefined];
        if (holder === undefined) {
          // Nobody runs it: finished, or its owner died. Take it over if it is still a live root.
          await takeOver();
          if (host.runsHere(command.rootId)) return local(command);
          throw new NotLiveError(`"${command.rootId}" is not running`);
        }
        if (!commands) break;
        const reply = await commands.request(holder, command);
        if (reply.ok) return { record: reply.record };
        if (reply.code !== 'NOT_OWNER') throw new Error(reply.message);
      }
      throw new NotLiveError(`"${command.rootId}" is not running on a replica that answers`);
    },
  };
}
