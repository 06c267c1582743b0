import { randomUUID } from 'node:crypto';
import {
  type AgentStatus,
  type CallJournal,
  type ConversationRecord,
  type EventBus,
  type PersistedActor,
  type RootKind,
  type RunEvent,
  type RunStore,
  type WorkflowContext,
  type WorkflowInput,
  type WorkflowRecord,
  turnRunId,
  wireMachines,
} from '@revo/actors';
import { type AnyActorRef, type Snapshot, createActor } from 'xstate';
import { createAgentStatusBoard } from './agent-status-board';
import { createInspector } from './inspector';
import { type StepTimes, conversationRecord, recordStepTime, workflowRecord } from './records';
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
  log?: (message: string) => void;
  now?: () => number;
}

/**
 * Creates, persists and restores the actors of one server: conversations and workflows as root
 * actors, persisted after their transitions (coalesced per tick) and restored on start; keeps the
 * API's records of workflows and conversations up to date; publishes domain events on the bus.
 */
export function createActorHost(runtime: Runtime, ports: ActorHostPorts) {
  const { store, bus } = ports;
  const now = ports.now ?? Date.now;
  const log = ports.log ?? (() => {});
  const publisher = createRunPublisher(bus, {
    now,
    onError: (error, event) => log(`event ${event.type} of ${event.runId} was not published: ${String(error)}`),
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
        writes.push(store.putRecord(WORKFLOWS, runId, record, record.createdAt));
        if (live.ref.getSnapshot().status !== 'active') finish(runId);
      }
      for (const id of rootIds) {
        const root = roots.get(id);
        if (!root) continue;
        const status = root.actor.getSnapshot().status;
        if (status === 'done' || status === 'error') {
          writes.push(store.removeActor(id));
          roots.delete(id);
          continue;
        }
        if (status !== 'active') continue;
        if (root.kind === 'conversation') {
          const record = currentConversation(id);
          if (record) writes.push(store.putRecord(CONVERSATIONS, id, record, record.createdAt));
        }
        writes.push(
          store.saveActor({
            id,
            kind: root.kind,
            snapshot: root.actor.getPersistedSnapshot(),
            input: { input: root.input, meta: root.meta },
            seq: publisher.seqOf(activeRunOf(root)),
            savedAt: now(),
          }),
        );
      }
      const results = await Promise.allSettled(writes);
      for (const result of results) if (result.status === 'rejected') log(`a write failed: ${String(result.reason)}`);
    })();
    try {
      await flushing;
    } finally {
      flushing = undefined;
    }
    if (dirtyRuns.size > 0 || dirtyRoots.size > 0) await flush();
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

  return {
    machines,
    inspector,
    publisher,
    statuses,
    store,
    bus,
    /** True once `close()` began: no new work is accepted. */
    get closing() {
      return closing;
    },
    currentWorkflow,
    currentConversation,
    liveWorkflow: (runId: string) => workflows.get(runId),
    root: (id: string) => roots.get(id),

    /** Starts a workflow as a root actor. */
    startWorkflow(input: WorkflowInput, meta: Omit<RootMeta, 'createdAt'> = {}): WorkflowRecord {
      const full: RootMeta = { createdAt: now(), ...meta };
      pendingMeta.set(input.runId, full);
      const actor = createActor(machines.workflow, { input, inspect });
      adopt('workflow', input.runId, actor, input, full);
      actor.start();
      markRoot(input.runId);
      return currentWorkflow(input.runId) as WorkflowRecord;
    },

    /** Starts an empty conversation as a root actor. */
    startConversation(title: string): ConversationRecord {
      const id = `c-${randomUUID().slice(0, 12)}`;
      const input = { conversationId: id, agents: runtime.agents, chains: runtime.chains, options: runtime.options };
      const actor = createActor(machines.conversation, { input, inspect });
      adopt('conversation', id, actor, input, { createdAt: now(), title });
      actor.start();
      markRoot(id);
      return currentConversation(id) as ConversationRecord;
    },

    /** Restores every unfinished root actor from the store and carries it on. */
    async restore(): Promise<{ workflows: number; conversations: number }> {
      const persisted = await store.loadActors();
      let restoredWorkflows = 0;
      let conversations = 0;
      for (const saved of persisted) {
        const { input, meta } = saved.input as { input: unknown; meta: RootMeta };
        const runIds = await runIdsOf(saved);
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
        if (saved.kind === 'workflow') restoredWorkflows += 1;
        else conversations += 1;
      }
      return { workflows: restoredWorkflows, conversations };
    },

    /** Writes everything pending now (tests, shutdown). */
    async flush() {
      await flush();
      await publisher.flush();
    },

    /**
     * Graceful stop: persists every live actor as it is, then stops them without marking them
     * finished, so the next start carries them on.
     */
    async close() {
      if (closing) return;
      await flush();
      closing = true;
      for (const root of roots.values()) {
        if (root.actor.getSnapshot().status !== 'active') continue;
        await store.saveActor({
          id: root.id,
          kind: root.kind,
          snapshot: root.actor.getPersistedSnapshot(),
          input: { input: root.input, meta: root.meta },
          seq: publisher.seqOf(activeRunOf(root)),
          savedAt: now(),
        } satisfies PersistedActor);
      }
      for (const root of roots.values()) root.actor.stop();
      await publisher.flush();
    },

    /** Agents' live status, for the API. */
    agentStatuses: (): AgentStatus[] => statuses.all(runtime.agents.map((a) => a.id)),
    events: (runId: string, afterSeq = 0): Promise<RunEvent[]> => bus.history(runId, afterSeq),
    newRunId: () => `run-${randomUUID().slice(0, 12)}`,
  };

  async function runIdsOf(saved: PersistedActor): Promise<string[]> {
    if (saved.kind === 'workflow') return [saved.id];
    const context = (saved.snapshot as { context?: { turn?: number; conversationId?: string } }).context;
    const turn = context?.turn ?? 0;
    const value = (saved.snapshot as { value?: unknown }).value;
    return turn > 0 && value === 'responding' ? [turnRunId(saved.id, turn)] : [];
  }
}

export type ActorHost = ReturnType<typeof createActorHost>;
