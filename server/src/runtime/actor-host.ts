import { randomUUID } from 'node:crypto';
import {
  type AgentStatus,
  type CallJournal,
  type ConversationRecord,
  type EventBus,
  FencedError,
  type PersistedActor,
  type RootKind,
  type RunEvent,
  type RunEventBody,
  type RunStore,
  type WorkflowContext,
  type WorkflowInput,
  type WorkflowRecord,
  conversationOf,
  turnRunId,
  wireMachines,
} from '@revo/actors';
import { type AnyActorRef, type Snapshot, createActor } from 'xstate';
import { createAgentStatusBoard } from './agent-status-board';
import { createInspector } from './inspector';
import {
  type CommandBus,
  type CommandReply,
  type Lease,
  type Ownership,
  type RootCommand,
  createLocalOwnership,
} from './ownership';
import { type StepTimes, conversationRecord, recordStepTime, titleFrom, workflowRecord } from './records';
import type { Runtime } from './create-runtime';
import { createRunPublisher } from './run-publisher';

export const WORKFLOWS = 'workflows';
export const CONVERSATIONS = 'conversations';
export const TEMPLATES = 'templates';
export const FEEDBACK = 'feedback';
/** Event logs of finished runs an in-process bus keeps for `workflow.events` (Redis keeps all). */
const KEEP_FINISHED_LOGS = 1_000;

/** What the host remembers of a root actor besides its snapshot. */
export interface RootMeta {
  createdAt: number;
  /** When the actor last changed (conversations list by it). */
  updatedAt?: number;
  title?: string;
  templateId?: string;
  retryOf?: string;
}

interface Root {
  id: string;
  kind: RootKind;
  actor: AnyActorRef & { getPersistedSnapshot(): Snapshot<unknown> };
  input: unknown;
  meta: RootMeta;
  /** Messages already announced as `message.added` (conversations). */
  announced: number;
}

interface LiveWorkflow {
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
  /** Told when a root's actor is stopped because this replica let it go (lost or handed over). */
  onHandOver?: (rootId: string) => void;
  log?: (message: string) => void;
  now?: () => number;
}

/** This replica already runs as many workflows as it may: retry shortly, or on another replica. */
export class HostBusyError extends Error {
  override readonly name = 'HostBusyError';
}

/** The root is not running on any replica (finished, or its owner died and nobody took it over yet). */
export class NotLiveError extends Error {
  override readonly name = 'NotLiveError';
}

/** The root a run's state belongs to: the workflow itself, or the conversation of a turn. */
export const rootOf = (runId: string): string => conversationOf(runId) ?? runId;

/**
 * Creates, persists and restores the actors of one server: conversations and workflows as root
 * actors, persisted after their transitions (coalesced per tick) and restored on start; keeps the
 * API's records of workflows and conversations up to date; publishes domain events on the bus.
 */
export function createActorHost(runtime: Runtime, ports: ActorHostPorts) {
  const { store, bus } = ports;
  const now = ports.now ?? Date.now;
  const log = ports.log ?? (() => {});
  const ownership = ports.ownership ?? createLocalOwnership();
  const maxWorkflows = ports.maxWorkflows ?? Number.POSITIVE_INFINITY;
  /** Leases of the roots this replica runs. */
  const leases = new Map<string, Lease>();
  const fenceOf = (runId: string): Lease | undefined => (ownership.shared ? leases.get(rootOf(runId)) : undefined);
  const publisher = createRunPublisher(bus, {
    now,
    fence: fenceOf,
    onError: (error, event) => {
      if (error instanceof FencedError) lose(error.rootId, 'another replica took it over');
      else log(`event ${event.type} of ${event.runId} was not published: ${String(error)}`);
    },
  });
  const inspector = createInspector();
  const machines = wireMachines({
    models: runtime.models,
    journal: ports.journal,
    planner: runtime.planner,
    events: publisher,
    predictor: runtime.predictor,
    now,
  });
  const roots = new Map<string, Root>();
  const workflows = new Map<string, LiveWorkflow>();
  /** Meta for workflows about to start, keyed by run id, picked up when the actor appears. */
  const pendingMeta = new Map<string, RootMeta>();
  const restoredTimes = new Map<string, StepTimes>();
  const statuses = createAgentStatusBoard(now);
  let closing = false;

  publisher.listen((event) => {
    const live = workflows.get(event.runId);
    if (live) recordStepTime(live.times, event);
    statuses.apply(event);
  });

  /** Workflow actors created but not yet initialised: their run id comes with the first snapshot. */
  const unborn = new WeakSet<object>();
  const inspect = (event: Parameters<typeof inspector.inspect>[0]) => {
    inspector.inspect(event);
    const ref = event.actorRef as AnyActorRef;
    if (event.type === '@xstate.actor') {
      if ((ref as unknown as { logic?: unknown }).logic === machines.workflow) unborn.add(ref);
      return;
    }
    if (event.type !== '@xstate.snapshot') return;
    const runId = (event.snapshot as { context?: { runId?: string } }).context?.runId;
    if (!runId) return;
    if (unborn.has(ref)) {
      unborn.delete(ref);
      workflows.set(runId, {
        ref,
        meta: pendingMeta.get(runId) ?? { createdAt: now() },
        times: restoredTimes.get(runId) ?? new Map(),
      });
      pendingMeta.delete(runId);
      restoredTimes.delete(runId);
    }
    if (workflows.get(runId)?.ref === ref) markDirty(runId);
  };

  // Writes are coalesced: everything that changed in a tick is written once, flushes never overlap.
  const dirtyRuns = new Set<string>();
  const dirtyRoots = new Set<string>();
  let scheduled = false;
  let flushing: Promise<void> | undefined;
  function markDirty(runId: string) {
    dirtyRuns.add(runId);
    schedule();
  }
  function markRoot(id: string) {
    dirtyRoots.add(id);
    schedule();
  }
  function schedule() {
    if (scheduled || closing) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void flush();
    });
  }
  async function flush(): Promise<void> {
    while (flushing) await flushing;
    if (dirtyRuns.size === 0 && dirtyRoots.size === 0) return;
    const runs = [...dirtyRuns];
    const rootIds = [...dirtyRoots];
    dirtyRuns.clear();
    dirtyRoots.clear();
    flushing = (async () => {
      const writes: Promise<unknown>[] = [];
      for (const runId of runs) {
        const live = workflows.get(runId);
        if (!live) continue;
        const record = currentWorkflow(runId);
        if (!record) continue;
        writes.push(store.putRecord(WORKFLOWS, runId, record, record.createdAt, fenceOf(runId)));
        if (live.ref.getSnapshot().status !== 'active') finish(runId);
      }
      for (const id of rootIds) {
        const root = roots.get(id);
        if (!root) continue;
        const status = root.actor.getSnapshot().status;
        if (status === 'done' || status === 'error') {
          writes.push(retire(id));
          roots.delete(id);
          continue;
        }
        if (status !== 'active') continue;
        if (root.kind === 'conversation') {
          const record = currentConversation(id);
          if (record) writes.push(store.putRecord(CONVERSATIONS, id, record, record.createdAt, fenceOf(id)));
        }
        writes.push(store.saveActor(persisted(root), fenceOf(id)));
      }
      const results = await Promise.allSettled(writes);
      for (const result of results) {
        if (result.status === 'fulfilled') continue;
        if (result.reason instanceof FencedError) lose(result.reason.rootId, 'another replica took it over');
        else log(`a write failed: ${String(result.reason)}`);
      }
    })();
    try {
      await flushing;
    } finally {
      flushing = undefined;
    }
    if (dirtyRuns.size > 0 || dirtyRoots.size > 0) await flush();
  }

  function persisted(root: Root): PersistedActor {
    return {
      id: root.id,
      kind: root.kind,
      snapshot: root.actor.getPersistedSnapshot(),
      input: { input: root.input, meta: root.meta },
      seq: publisher.seqOf(activeRunOf(root)),
      savedAt: now(),
    };
  }

  /** A finished root leaves the store's live actors, and its lease is let go for good. */
  async function retire(id: string) {
    const lease = leases.get(id);
    leases.delete(id);
    await store.removeActor(id, ownership.shared ? lease : undefined);
    if (lease) await ownership.release(lease, true);
  }

  /**
   * Stops running a root here without writing anything: its lease lapsed or another replica holds
   * it now (which restores it from the last snapshot this replica wrote).
   */
  function lose(rootId: string, why: string) {
    const root = roots.get(rootId);
    leases.delete(rootId);
    if (!root) return;
    roots.delete(rootId);
    for (const runId of [...workflows.keys()]) {
      if (rootOf(runId) !== rootId) continue;
      workflows.delete(runId);
      publisher.forget(runId);
    }
    ports.onHandOver?.(rootId);
    root.actor.stop();
    log(`stopped running ${rootId} here: ${why}`);
  }

  /** A finished run leaves memory: its journal entries, its seq counter, and (later) its event log. */
  const finishedLogs: string[] = [];
  function finish(runId: string) {
    workflows.delete(runId);
    publisher.forget(runId);
    ports.journal.forgetRun?.(runId);
    if (!bus.forget) return;
    finishedLogs.push(runId);
    if (finishedLogs.length > KEEP_FINISHED_LOGS) bus.forget(finishedLogs.shift() as string);
  }

  function currentWorkflow(runId: string): WorkflowRecord | undefined {
    const live = workflows.get(runId);
    if (!live) return undefined;
    const snapshot = live.ref.getSnapshot() as { context: WorkflowContext; value: unknown };
    return workflowRecord(snapshot.context, snapshot.value, {
      ...live.meta,
      now: now(),
      seq: publisher.seqOf(runId),
      times: live.times,
    });
  }

  function currentConversation(id: string): ConversationRecord | undefined {
    const root = roots.get(id);
    if (root?.kind !== 'conversation') return undefined;
    const snapshot = root.actor.getSnapshot() as { context: Parameters<typeof conversationRecord>[0]; value: unknown };
    return conversationRecord(snapshot.context, snapshot.value, {
      title: root.meta.title ?? 'New conversation',
      createdAt: root.meta.createdAt,
      now: root.meta.updatedAt ?? root.meta.createdAt,
    });
  }

  /** Announces new messages of a conversation as events of the turn they belong to. */
  function announceMessages(root: Root) {
    const context = (root.actor.getSnapshot() as { context: Parameters<typeof conversationRecord>[0] }).context;
    while (root.announced < context.messages.length) {
      const message = context.messages[root.announced];
      root.announced += 1;
      if (!message) continue;
      publisher.publish({
        type: 'message.added',
        runId: message.runId ?? turnRunId(root.id, context.turn),
        conversationId: root.id,
        message,
      });
    }
  }

  /** The run whose events a root's snapshot covers: the workflow itself, or a conversation's current turn. */
  function activeRunOf(root: Root): string {
    if (root.kind === 'workflow') return root.id;
    const { turn } = (root.actor.getSnapshot() as { context: { turn: number } }).context;
    return turnRunId(root.id, turn);
  }

  function adopt(kind: RootKind, id: string, actor: Root['actor'], input: unknown, meta: RootMeta, announced = 0) {
    const root: Root = { id, kind, actor, input, meta, announced };
    roots.set(id, root);
    actor.subscribe({
      next: () => {
        root.meta.updatedAt = now();
        if (kind === 'conversation') announceMessages(root);
        markRoot(id);
      },
      error: (error) => log(`${kind} ${id} failed: ${String(error)}`),
    });
    return root;
  }

  /** Takes a root's lease, then restores it from its snapshot and carries it on. */
  async function adoptPersisted(saved: PersistedActor) {
    const { input, meta } = saved.input as { input: unknown; meta: RootMeta };
    const runIds = runIdsOf(saved);
    for (const runId of runIds) {
      await bus.truncate(runId, saved.seq);
      const history = await bus.history(runId);
      publisher.restoreSeq(runId, history.at(-1)?.seq ?? 0);
      const times: StepTimes = new Map();
      for (const event of history) recordStepTime(times, event);
      restoredTimes.set(runId, times);
      const record = await store.getRecord<WorkflowRecord>(WORKFLOWS, runId);
      pendingMeta.set(runId, {
        createdAt: record?.createdAt ?? saved.savedAt,
        ...(record?.templateId ? { templateId: record.templateId } : {}),
        ...(record?.retryOf ? { retryOf: record.retryOf } : {}),
      });
    }
    const machine = saved.kind === 'workflow' ? machines.workflow : machines.conversation;
    const actor = createActor(machine as typeof machines.workflow, {
      input: input as WorkflowInput,
      snapshot: saved.snapshot as Snapshot<unknown>,
      inspect,
    });
    const context = (saved.snapshot as { context?: { messages?: unknown[] } }).context;
    adopt(saved.kind, saved.id, actor, input, meta, context?.messages?.length ?? 0);
    actor.start();
    markRoot(saved.id);
    for (const runId of runIds) markDirty(runId);
  }

  /**
   * Takes over every persisted root nobody holds a lease on (its replica died, or this is the
   * first start), while this replica has room. Scans never overlap.
   */
  let scanning: Promise<{ workflows: number; conversations: number }> | undefined;
  function takeOver() {
    scanning ??= (async () => {
      const taken = { workflows: 0, conversations: 0 };
      const candidates = (await store.actorIds()).filter((id) => !roots.has(id) && !leases.has(id));
      const holders = await ownership.holders(candidates);
      for (const [i, id] of candidates.entries()) {
        if (holders[i] !== undefined || closing) continue;
        if (workflows.size >= maxWorkflows) break;
        const lease = await ownership.acquire(id);
        if (!lease) continue;
        const saved = await store.loadActor(id);
        if (!saved || closing) {
          await ownership.release(lease, !saved);
          continue;
        }
        leases.set(id, lease);
        try {
          await adoptPersisted(saved);
        } catch (error) {
          leases.delete(id);
          await ownership.release(lease, false);
          log(`could not restore ${id}: ${String(error)}`);
          continue;
        }
        if (saved.kind === 'workflow') taken.workflows += 1;
        else taken.conversations += 1;
        if (ownership.shared) log(`took over ${saved.kind} ${id}`);
      }
      return taken;
    })().finally(() => {
      scanning = undefined;
    });
    return scanning;
  }

  /** Renews this replica's leases; roots whose lease is gone stop here. */
  async function renewLeases() {
    const held = [...leases.values()];
    for (const id of await ownership.renew(held)) lose(id, 'its lease lapsed');
  }

  const timers: NodeJS.Timeout[] = [];
  function every(ms: number, task: () => Promise<unknown>) {
    let running = false;
    const timer = setInterval(() => {
      if (running || closing) return;
      running = true;
      task()
        .catch((error: unknown) => log(`ownership: ${String(error)}`))
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    timers.push(timer);
  }

  /** Answers another replica's command for a root this replica runs. */
  async function serveCommand(command: RootCommand): Promise<CommandReply> {
    const root = roots.get(command.rootId);
    if (!root) return { ok: false, code: 'NOT_OWNER', message: `${command.rootId} does not run here` };
    if (command.type === 'send') {
      const { event } = command;
      if (event.type === 'message.send' && root.meta.title === 'New conversation' && typeof event.text === 'string') {
        root.meta.title = titleFrom(event.text);
      }
      root.actor.send(event as never);
    } else publisher.publish(command.body);
    // The record as the event left it, before anything else can happen to the root.
    const record = root.kind === 'conversation' ? currentConversation(root.id) : currentWorkflow(root.id);
    await flush();
    return { ok: true, record };
  }

  async function leaseFor(id: string): Promise<Lease> {
    const lease = await ownership.acquire(id);
    if (!lease) throw new Error(`could not take the lease of the new root ${id}`);
    leases.set(id, lease);
    return lease;
  }

  return {
    machines,
    inspector,
    publisher,
    statuses,
    store,
    bus,
    ownership,
    /** True once `close()` began: no new work is accepted. */
    get closing() {
      return closing;
    },
    currentWorkflow,
    currentConversation,
    liveWorkflow: (runId: string) => workflows.get(runId),
    root: (id: string) => roots.get(id),
    /** How many workflows run here now. */
    get load() {
      return workflows.size;
    },

    /** Starts a workflow as a root actor (after taking its lease). */
    async startWorkflow(input: WorkflowInput, meta: Omit<RootMeta, 'createdAt'> = {}): Promise<WorkflowRecord> {
      if (workflows.size + pendingMeta.size >= maxWorkflows) {
        throw new HostBusyError(
          `this replica runs its limit of ${maxWorkflows} workflows (REVO_MAX_WORKFLOWS); retry shortly or on another replica`,
        );
      }
      const full: RootMeta = { createdAt: now(), ...meta };
      pendingMeta.set(input.runId, full);
      try {
        await leaseFor(input.runId);
      } catch (error) {
        pendingMeta.delete(input.runId);
        throw error;
      }
      const actor = createActor(machines.workflow, { input, inspect });
      adopt('workflow', input.runId, actor, input, full);
      actor.start();
      markRoot(input.runId);
      const record = currentWorkflow(input.runId) as WorkflowRecord;
      // Written before it is announced, so any replica can serve the run from the moment it exists.
      await flush();
      return record;
    },

    /** Starts an empty conversation as a root actor (after taking its lease). */
    async startConversation(title: string): Promise<ConversationRecord> {
      const id = `c-${randomUUID().slice(0, 12)}`;
      await leaseFor(id);
      const input = { conversationId: id, agents: runtime.agents, chains: runtime.chains, options: runtime.options };
      const actor = createActor(machines.conversation, { input, inspect });
      adopt('conversation', id, actor, input, { createdAt: now(), title });
      actor.start();
      markRoot(id);
      return currentConversation(id) as ConversationRecord;
    },

    /**
     * Restores every unfinished root nobody else runs and carries it on; with replicas, keeps
     * renewing this replica's leases and taking over the roots of replicas that died.
     */
    async restore(): Promise<{ workflows: number; conversations: number }> {
      if (ports.commands) await ports.commands.serve(serveCommand);
      const taken = await takeOver();
      if (ownership.shared) {
        every(Math.max(50, Math.floor(ownership.leaseMs / 3)), renewLeases);
        every(Math.max(50, Math.floor(ownership.leaseMs / 2)), takeOver);
      }
      return taken;
    },

    /**
     * Delivers an event to a root actor wherever it runs: here, or through its owner. A root whose
     * owner died is taken over first. Throws `NotLiveError` when it runs nowhere.
     */
    send(rootId: string, event: { type: string } & Record<string, unknown>) {
      return command({ type: 'send', rootId, event });
    },
    /** Publishes a run's event from its owner (feedback while it runs). */
    publishOn(runId: string, body: RunEventBody) {
      return command({ type: 'publish', rootId: rootOf(runId), body });
    },
    /** True when the root runs here or on another live replica. */
    async isLive(runId: string): Promise<boolean> {
      const rootId = rootOf(runId);
      if (roots.has(rootId)) return true;
      if (!ownership.shared) return false;
      const [holder] = await ownership.holders([rootId]);
      return holder !== undefined && (await store.loadActor(rootId)) !== undefined;
    },

    /** Writes everything pending now (tests, shutdown). */
    async flush() {
      await flush();
      await publisher.flush();
    },

    /**
     * Graceful stop: persists every live actor as it is, then stops them without marking them
     * finished and lets their leases go, so another replica (or the next start) carries them on.
     */
    async close() {
      if (closing) return;
      for (const timer of timers) clearInterval(timer);
      await flush();
      closing = true;
      await scanning?.catch(() => undefined);
      for (const root of roots.values()) {
        if (root.actor.getSnapshot().status !== 'active') continue;
        try {
          await store.saveActor(persisted(root), fenceOf(root.id));
        } catch (error) {
          log(`could not persist ${root.id} on the way out: ${String(error)}`);
        }
      }
      for (const root of roots.values()) {
        ports.onHandOver?.(root.id);
        root.actor.stop();
      }
      await publisher.flush();
      await Promise.allSettled([...leases.values()].map((lease) => ownership.release(lease, false)));
      leases.clear();
      await ports.commands?.close();
    },

    /** Agents' live status, for the API. */
    agentStatuses: (): AgentStatus[] => statuses.all(runtime.agents.map((a) => a.id)),
    events: (runId: string, afterSeq = 0): Promise<RunEvent[]> => bus.history(runId, afterSeq),
    newRunId: () => `run-${randomUUID().slice(0, 12)}`,
  };

  async function command(cmd: RootCommand): Promise<{ record?: unknown }> {
    if (roots.has(cmd.rootId)) return local(cmd);
    for (let attempt = 0; attempt < 2; attempt++) {
      const [holder] = ownership.shared ? await ownership.holders([cmd.rootId]) : [undefined];
      if (holder === undefined) {
        // Nobody runs it: finished, or its owner died. Take it over if it is still a live root.
        await takeOver();
        if (roots.has(cmd.rootId)) return local(cmd);
        throw new NotLiveError(`"${cmd.rootId}" is not running`);
      }
      if (!ports.commands) break;
      const reply = await ports.commands.request(holder, cmd);
      if (reply.ok) return { record: reply.record };
      if (reply.code !== 'NOT_OWNER') throw new Error(reply.message);
    }
    throw new NotLiveError(`"${cmd.rootId}" is not running on a replica that answers`);
  }

  async function local(cmd: RootCommand): Promise<{ record?: unknown }> {
    const reply = await serveCommand(cmd);
    if (!reply.ok) throw new NotLiveError(reply.message);
    return { record: reply.record };
  }

  function runIdsOf(saved: PersistedActor): string[] {
    if (saved.kind === 'workflow') return [saved.id];
    const context = (saved.snapshot as { context?: { turn?: number; conversationId?: string } }).context;
    const turn = context?.turn ?? 0;
    const value = (saved.snapshot as { value?: unknown }).value;
    return turn > 0 && value === 'responding' ? [turnRunId(saved.id, turn)] : [];
  }
}

export type ActorHost = ReturnType<typeof createActorHost>;
