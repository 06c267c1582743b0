import { randomUUID } from 'node:crypto';
import {
  type AgentStatus,
  type ConversationRecord,
  FencedError,
  type PersistedActor,
  type RootKind,
  type RunEvent,
  type RunEventBody,
  type WorkflowContext,
  type WorkflowInput,
  type WorkflowRecord,
  wireMachines,
} from '@revo/actors';
import { type AnyActorRef, type Snapshot, createActor } from 'xstate';
import { createAgentStatusBoard, feedAgentStatus } from './agent-status-board';
import { createInspector } from './inspector';
import { type CommandReply, type RootCommand, createLocalOwnership, rootOf } from './ownership';
import { createReplicaCoordinator } from './replica-coordinator';
import { restoreRuns } from './restore-runs';
import { activeRunOf, announceMessages } from './root-views';
import { createWriteCoalescer } from './write-coalescer';
import { type StepTimes, conversationRecord, recordStepTime, titleFrom, workflowRecord } from './records';
import type { Runtime } from './create-runtime';
import { createRunPublisher } from './run-publisher';
import {
  type ActorHostPorts,
  CONVERSATIONS,
  HostBusyError,
  KEEP_FINISHED_LOGS,
  type LiveWorkflow,
  type Root,
  type RootMeta,
  WORKFLOWS,
} from './actor-host-types';

export {
  type ActorHostPorts,
  CONVERSATIONS,
  FEEDBACK,
  HostBusyError,
  type RootMeta,
  TEMPLATES,
  WORKFLOWS,
} from './actor-host-types';
export { NotLiveError } from './replica-coordinator';
export { rootOf } from './ownership';

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
  const replicas = createReplicaCoordinator(store, ownership, ports.commands, {
    runsHere: (id) => roots.has(id),
    load: () => workflows.size,
    maxWorkflows,
    closing: () => closing,
    adopt: (saved) => adoptPersisted(saved),
    lose: (id, why) => lose(id, why),
    serve: (command) => serveCommand(command),
    log,
  });
  const { fenceOf } = replicas;
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
  });
  const statusFeed = feedAgentStatus(statuses, publisher, bus, log);

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
  const writer = createWriteCoalescer(writeChanges, { paused: () => closing });
  const markDirty = writer.run;
  const markRoot = writer.root;
  const flush = writer.flush;
  async function writeChanges(runs: string[], rootIds: string[]) {
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
    const { lease, release } = replicas.finished(id);
    await store.removeActor(id, lease);
    await release();
  }

  /**
   * Stops running a root here without writing anything: its lease lapsed or another replica holds
   * it now (which restores it from the last snapshot this replica wrote).
   */
  function lose(rootId: string, why: string) {
    const root = roots.get(rootId);
    replicas.dropped(rootId);
    if (!root) return;
    roots.delete(rootId);
    for (const runId of [...workflows.keys()]) {
      if (rootOf(runId) !== rootId) continue;
      workflows.delete(runId);
      publisher.forget(runId);
    }
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

  function adopt(kind: RootKind, id: string, actor: Root['actor'], input: unknown, meta: RootMeta, announced = 0) {
    const root: Root = { id, kind, actor, input, meta, announced };
    roots.set(id, root);
    actor.subscribe({
      next: () => {
        root.meta.updatedAt = now();
        if (kind === 'conversation') announceMessages(root, publisher);
        markRoot(id);
      },
      error: (error) => log(`${kind} ${id} failed: ${String(error)}`),
    });
    return root;
  }

  /** Takes a root's lease, then restores it from its snapshot and carries it on. */
  async function adoptPersisted(saved: PersistedActor) {
    const { input, meta } = saved.input as { input: unknown; meta: RootMeta };
    const runs = await restoreRuns(saved, { bus, store, records: WORKFLOWS });
    for (const run of runs) {
      publisher.restoreSeq(run.runId, run.seq);
      restoredTimes.set(run.runId, run.times);
      pendingMeta.set(run.runId, run.meta);
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
    for (const run of runs) markDirty(run.runId);
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
        await replicas.claimNew(input.runId);
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
      await replicas.claimNew(id);
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
    restore: (): Promise<{ workflows: number; conversations: number }> => replicas.start(),

    /**
     * Delivers an event to a root actor wherever it runs: here, or through its owner. A root whose
     * owner died is taken over first. Throws `NotLiveError` when it runs nowhere.
     */
    send: (rootId: string, event: { type: string } & Record<string, unknown>) =>
      replicas.command({ type: 'send', rootId, event }),
    /** Publishes a run's event from its owner (feedback while it runs). */
    publishOn: (runId: string, body: RunEventBody) =>
      replicas.command({ type: 'publish', rootId: rootOf(runId), body }),

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
      await replicas.stop();
      await flush();
      closing = true;
      const live = [...roots.values()].filter((root) => root.actor.getSnapshot().status === 'active');
      const saved = await Promise.allSettled(live.map((root) => store.saveActor(persisted(root), fenceOf(root.id))));
      for (const r of saved) if (r.status === 'rejected') log(`could not persist on the way out: ${String(r.reason)}`);
      for (const root of roots.values()) {
        root.actor.stop();
      }
      await publisher.flush();
      await replicas.releaseAll();
      await statusFeed.close();
    },

    /** Agents' live status, for the API. */
    agentStatuses: (): AgentStatus[] => statuses.all(runtime.agents.map((a) => a.id)),
    events: (runId: string, afterSeq = 0): Promise<RunEvent[]> => bus.history(runId, afterSeq),
    newRunId: () => `run-${randomUUID().slice(0, 12)}`,
  };
}

export type ActorHost = ReturnType<typeof createActorHost>;
