import { randomUUID } from 'node:crypto';
import {
  type ConversationRecord,
  Feedback,
  Plan,
  SendMessage,
  type WorkflowRecord,
  WorkflowTemplate,
  emptyTotals,
  planProblems,
  selectAgents,
} from '@revo/actors';
import { ApiError, type RevoApi } from '@revo/schema';
import { z } from 'zod';
import {
  type ActorHost,
  CONVERSATIONS,
  FEEDBACK,
  HostBusyError,
  NotLiveError,
  TEMPLATES,
  WORKFLOWS,
  rootOf,
} from '../runtime/actor-host';
import type { AnalyticsService } from '../runtime/analytics-service';
import type { Runtime } from '../runtime/create-runtime';
import { Id, PageSize, Task, paged, parse } from './api-input';
import { createFeeds } from './feeds';
import { actorUpdates, actorView } from './inspector-views';

/** The API the schema's resolvers call, implemented on the actor host. */
export function createRevoApi(
  runtime: Runtime,
  host: ActorHost,
  analytics?: AnalyticsService,
  /** Why analytics cannot be read here, when it cannot. */
  analyticsOff = 'analytics is off on this server (REVO_ANALYTICS=0, or its store could not open)',
): RevoApi {
  const knownAgents = new Set(runtime.agents.map((a) => a.id as string));
  const checkAgents = (agents: readonly string[] | null | undefined) => {
    for (const id of agents ?? []) {
      if (!knownAgents.has(id)) {
        throw new ApiError('BAD_USER_INPUT', `unknown agent "${id}"; known agents: ${[...knownAgents].join(', ')}`);
      }
    }
    return agents && agents.length > 0 ? [...agents] : undefined;
  };
  const checkPlan = (value: unknown): Plan => {
    const plan = parse(Plan, value, 'the plan is not valid');
    const problems = planProblems(plan, knownAgents);
    if (problems.length > 0) throw new ApiError('BAD_USER_INPUT', `the plan is not valid: ${problems.join('; ')}`);
    return plan;
  };
  /** Host errors a client can act on, as API errors. */
  const asApiError = (error: unknown): never => {
    if (error instanceof HostBusyError) throw new ApiError('UNAVAILABLE', error.message);
    if (error instanceof NotLiveError) throw new ApiError('CONFLICT', error.message);
    throw error;
  };
  const start = (...args: Parameters<ActorHost['startWorkflow']>) => host.startWorkflow(...args).catch(asApiError);
  /** Delivers an event to the root of `runId`, here or on the replica that runs it. */
  const sendTo = (rootId: string, event: Parameters<ActorHost['send']>[1]) =>
    host.send(rootId, event).catch(asApiError);
  const ended = (status: WorkflowRecord['status']) =>
    status === 'completed' || status === 'failed' || status === 'cancelled';
  const accepting = () => {
    if (host.closing) throw new ApiError('UNAVAILABLE', 'the server is shutting down; try again in a moment');
  };
  const workflowOrThrow = async (runId: string): Promise<WorkflowRecord> => {
    const record = host.currentWorkflow(runId) ?? (await host.store.getRecord<WorkflowRecord>(WORKFLOWS, runId));
    if (!record) throw new ApiError('NOT_FOUND', `there is no workflow "${runId}"`);
    return record;
  };
  const conversationOrThrow = async (id: string): Promise<ConversationRecord> => {
    const record = host.currentConversation(id) ?? (await host.store.getRecord<ConversationRecord>(CONVERSATIONS, id));
    if (!record) throw new ApiError('NOT_FOUND', `there is no conversation "${id}"`);
    return record;
  };
  const workflowInput = (runId: string, task: string, extra: { agents?: string[]; plan?: Plan } = {}) => ({
    runId,
    task,
    mode: 'workflow' as const,
    agents: runtime.agents,
    chains: runtime.chains,
    ...(extra.agents ? { requestedAgents: extra.agents } : {}),
    ...(extra.plan ? { plan: extra.plan } : {}),
    options: runtime.options,
  });
  const feeds = createFeeds(host, { workflow: workflowOrThrow, conversation: conversationOrThrow });

  return {
    agents: () => runtime.agents,
    agentStatuses: () => host.agentStatuses(),
    select: async (task) =>
      selectAgents(parse(Task, task, 'the task is not valid'), runtime.agents, await runtime.selectionContext()),
    analytics: async (name, params) => {
      if (!analytics) {
        throw new ApiError('UNAVAILABLE', analyticsOff);
      }
      try {
        return await analytics.query(name, params);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (/^query "/.test(message)) throw new ApiError('BAD_USER_INPUT', message);
        throw error;
      }
    },
    models: () => ({
      ollamaBaseUrl: runtime.status.ollamaBaseUrl,
      ollamaReachable: runtime.status.ollamaReachable,
      ollamaModels: runtime.status.ollamaModels,
      offlineOnly: runtime.status.offlineOnly,
      chains: Object.entries(runtime.chains).map(([agent, chain]) => ({ agent, models: chain.map((m) => m.id) })),
    }),

    conversations: ({ first, after }) =>
      paged(() =>
        host.store.listRecords<ConversationRecord>(CONVERSATIONS, {
          limit: parse(PageSize, first ?? undefined, 'first'),
          after,
        }),
      ).then((page) => ({ ...page, items: page.items.map((c) => host.currentConversation(c.id) ?? c) })),
    conversation: async (id) => host.currentConversation(id) ?? host.store.getRecord(CONVERSATIONS, id),
    workflows: ({ first, after, status, conversationId }) =>
      paged(() =>
        host.store.listRecords<WorkflowRecord>(WORKFLOWS, {
          limit: parse(PageSize, first ?? undefined, 'first'),
          after,
          filter: (w) => (!status || w.status === status) && (!conversationId || w.conversationId === conversationId),
        }),
      ),
    workflow: async (runId) => host.currentWorkflow(runId) ?? host.store.getRecord(WORKFLOWS, runId),
    events: async (runId, afterSeq) => {
      await workflowOrThrow(runId);
      return host.events(runId, afterSeq);
    },
    templates: ({ first, after }) =>
      paged(() =>
        host.store.listRecords<WorkflowTemplate>(TEMPLATES, {
          limit: parse(PageSize, first ?? undefined, 'first'),
          after,
        }),
      ),
    template: (id) => host.store.getRecord(TEMPLATES, id),
    feedback: async (runId) =>
      (await host.store.listRecords<Feedback>(FEEDBACK, { limit: 100, filter: (f) => f.runId === runId })).items,
    actors: (filter) =>
      host.inspector
        .actors({
          ...(filter.kind ? { kind: filter.kind } : {}),
          ...(filter.runId ? { runId: filter.runId } : {}),
          includeFinished: filter.includeFinished ?? false,
        })
        .map(actorView),
    actor: (id) => {
      const actor = host.inspector.actor(id);
      return actor ? actorView(actor) : undefined;
    },
    actorSnapshots: (id, last) => {
      const actor = host.inspector.actor(id);
      if (!actor) throw new ApiError('NOT_FOUND', `there is no actor "${id}" (it may have finished long ago)`);
      return actorUpdates(actor).slice(-parse(z.number().int().min(1).max(500), last, 'last'));
    },

    startConversation: async (title) => {
      accepting();
      const name = parse(z.string().trim().max(200).optional(), title ?? undefined, 'the title is not valid');
      const record = await host.startConversation(name || 'New conversation');
      await host.flush();
      return record;
    },
    sendMessage: async ({ conversationId, text, mode, agents }) => {
      accepting();
      const message = parse(
        SendMessage,
        { text, mode: mode ?? 'single', agents: agents ?? undefined },
        'the message is not valid',
      );
      checkAgents(message.agents);
      await conversationOrThrow(parse(Id, conversationId, 'conversationId'));
      const { record } = await sendTo(conversationId, { type: 'message.send', ...message });
      const conversation = record as ConversationRecord;
      const last = conversation.messages.at(-1);
      const started = conversation.status !== 'idle' && last?.role === 'user' && last.content === message.text;
      return { conversation, runId: started ? conversation.activeRunId : undefined };
    },
    planWorkflow: async ({ task, agents }) => {
      accepting();
      const text = parse(Task, task, 'the task is not valid');
      const requested = checkAgents(agents);
      const runId = host.newRunId();
      const plan = await runtime.planner.plan({
        runId,
        task: text,
        mode: 'workflow',
        agents: runtime.agents,
        ...(requested ? { requestedAgents: requested } : {}),
      });
      const prediction = await runtime.predictor.predict({ runId, task: text, plan });
      const at = Date.now();
      const record: WorkflowRecord = {
        runId,
        task: text,
        mode: 'workflow',
        status: 'planned',
        state: 'planned',
        plan,
        prediction,
        steps: plan.steps.map((s) => ({ ...s, status: 'pending' })),
        conflicts: [],
        usage: emptyTotals(),
        localShare: 1,
        answer: '',
        error: '',
        offline: false,
        ...(requested ? { requestedAgents: requested } : {}),
        createdAt: at,
        updatedAt: at,
        seq: 0,
      };
      await host.store.putRecord(WORKFLOWS, runId, record, at);
      return record;
    },
    runWorkflow: async (args) => {
      accepting();
      const given = [args.runId, args.templateId, args.task ?? args.plan].filter((x) => x != null).length;
      if (given !== 1) {
        throw new ApiError('BAD_USER_INPUT', 'give exactly one of runId (a planned workflow), templateId, or task');
      }
      if (args.runId) {
        const planned = await workflowOrThrow(parse(Id, args.runId, 'runId'));
        if (planned.status !== 'planned' || !planned.plan) {
          throw new ApiError('CONFLICT', `the workflow "${planned.runId}" has already run (status ${planned.status})`);
        }
        return start(
          workflowInput(planned.runId, planned.task, {
            plan: planned.plan,
            ...(planned.requestedAgents ? { agents: planned.requestedAgents } : {}),
          }),
        );
      }
      if (args.templateId) {
        const template = await host.store.getRecord<WorkflowTemplate>(
          TEMPLATES,
          parse(Id, args.templateId, 'templateId'),
        );
        if (!template) throw new ApiError('NOT_FOUND', `there is no template "${args.templateId}"`);
        const task = args.task
          ? parse(Task, args.task, 'the task is not valid')
          : template.description || template.name;
        return start(workflowInput(host.newRunId(), task, { plan: checkPlan(template.plan) }), {
          templateId: template.id,
        });
      }
      const task = parse(Task, args.task ?? '', 'the task is not valid');
      const agents = checkAgents(args.agents);
      return start(
        workflowInput(host.newRunId(), task, {
          ...(agents ? { agents } : {}),
          ...(args.plan ? { plan: checkPlan(args.plan) } : {}),
        }),
      );
    },
    cancelWorkflow: async (runId, reason) => {
      const record = await workflowOrThrow(parse(Id, runId, 'runId'));
      const why =
        parse(z.string().trim().max(500).optional(), reason ?? undefined, 'reason') || 'cancelled by a person';
      const notRunning = new ApiError('CONFLICT', `the workflow "${runId}" is not running (status ${record.status})`);
      if (ended(record.status) || record.status === 'planned') throw notRunning;
      await sendTo(
        rootOf(record.runId),
        record.conversationId ? { type: 'turn.cancel', reason: why } : { type: 'workflow.cancel', reason: why },
      ).catch((error: unknown) => {
        throw error instanceof ApiError && error.code === 'CONFLICT' ? notRunning : error;
      });
      return workflowOrThrow(record.runId);
    },
    retryWorkflow: async (runId) => {
      accepting();
      const record = await workflowOrThrow(parse(Id, runId, 'runId'));
      if (!ended(record.status)) {
        throw new ApiError('CONFLICT', `the workflow "${runId}" has not ended; only ended workflows can be retried`);
      }
      return start(
        workflowInput(host.newRunId(), record.task, {
          ...(record.requestedAgents ? { agents: record.requestedAgents } : {}),
          ...(record.templateId && record.plan ? { plan: record.plan } : {}),
        }),
        { retryOf: record.runId, ...(record.templateId ? { templateId: record.templateId } : {}) },
      );
    },
    decideConflict: async ({ runId, conflictId, position, by }) => {
      const record = await workflowOrThrow(parse(Id, runId, 'runId'));
      const choice = parse(
        z.string().trim().min(1, 'the position is empty').max(200),
        position,
        'the decision is not valid',
      );
      const conflict = record.conflicts.find((c) => c.id === conflictId);
      if (!conflict) throw new ApiError('NOT_FOUND', `the workflow "${runId}" has no conflict "${conflictId}"`);
      const undecidable = new ApiError(
        'CONFLICT',
        `the conflict "${conflictId}" is ${conflict.status}; only an escalated conflict can be decided`,
      );
      if (conflict.status !== 'escalated' || record.status !== 'awaitingHuman') throw undecidable;
      const decide = {
        type: 'conflict.decide' as const,
        conflictId,
        position: choice,
        by: parse(z.string().trim().max(120).optional(), by ?? undefined, 'by') || 'a person',
      };
      await sendTo(rootOf(record.runId), decide).catch((error: unknown) => {
        throw error instanceof ApiError && error.code === 'CONFLICT' ? undecidable : error;
      });
      return workflowOrThrow(record.runId);
    },
    giveFeedback: async (args) => {
      const record = await workflowOrThrow(parse(Id, args.runId, 'runId'));
      const step = args.stepId ? record.steps.find((s) => s.id === args.stepId) : undefined;
      if (args.stepId && !step)
        throw new ApiError('NOT_FOUND', `the workflow "${args.runId}" has no step "${args.stepId}"`);
      const feedback = parse(
        Feedback,
        {
          id: `fb-${randomUUID().slice(0, 12)}`,
          runId: record.runId,
          ...(step ? { stepId: step.id, agent: step.agent } : {}),
          rating: args.rating,
          comment: args.comment ?? '',
          at: Date.now(),
        },
        'the feedback is not valid',
      );
      await host.store.putRecord(FEEDBACK, feedback.id, feedback, feedback.at);
      const event = {
        type: 'feedback.given' as const,
        runId: record.runId,
        feedbackId: feedback.id,
        ...(feedback.stepId ? { stepId: feedback.stepId } : {}),
        ...(feedback.agent ? { agent: feedback.agent } : {}),
        rating: feedback.rating,
        comment: feedback.comment,
      };
      // A running workflow's events come from the replica that runs it (it owns the sequence).
      if (!ended(record.status)) {
        const sent = await host.publishOn(record.runId, event).then(
          () => true,
          (error: unknown) => (error instanceof NotLiveError ? false : Promise.reject(error)),
        );
        if (sent) return feedback;
      }
      // A finished run's counter is gone from memory: continue its sequence, never restart it.
      if (!host.liveWorkflow(record.runId)) {
        const last = (await host.bus.history(record.runId, record.seq)).at(-1)?.seq ?? 0;
        host.publisher.restoreSeq(record.runId, Math.max(record.seq, last));
      }
      host.publisher.publish(event);
      return feedback;
    },
    saveTemplate: async (args) => {
      const existing = args.id ? await host.store.getRecord<WorkflowTemplate>(TEMPLATES, args.id) : undefined;
      if (args.id && !existing) throw new ApiError('NOT_FOUND', `there is no template "${args.id}"`);
      const at = Date.now();
      const plan = checkPlan(args.plan);
      const layout = args.layout ?? {};
      for (const id of Object.keys(layout)) {
        if (!plan.steps.some((s) => s.id === id))
          throw new ApiError('BAD_USER_INPUT', `the layout names unknown step "${id}"`);
      }
      const template = parse(
        WorkflowTemplate,
        {
          id: existing?.id ?? `tpl-${randomUUID().slice(0, 12)}`,
          name: parse(
            z.string().trim().min(1, 'the name is empty').max(200),
            args.name,
            'the template name is not valid',
          ),
          description: parse(z.string().trim().max(4_000), args.description ?? '', 'the description is not valid'),
          plan,
          layout,
          createdAt: existing?.createdAt ?? at,
          updatedAt: at,
        },
        'the template is not valid',
      );
      await host.store.putRecord(TEMPLATES, template.id, template, template.createdAt);
      return template;
    },
    deleteTemplate: async (id) => {
      const existing = await host.store.getRecord(TEMPLATES, parse(Id, id, 'id'));
      if (!existing) throw new ApiError('NOT_FOUND', `there is no template "${id}"`);
      await host.store.deleteRecord(TEMPLATES, id);
      return true;
    },
    predict: async (plan, task) =>
      runtime.predictor.predict({
        runId: 'prediction',
        task: parse(Task, task, 'the task is not valid'),
        plan: checkPlan(plan),
      }),

    workflowFeed: (runId) => feeds.workflow(parse(Id, runId, 'runId')),
    conversationFeed: (id) => feeds.conversation(parse(Id, id, 'conversationId')),
    agentStatusFeed: async () => feeds.agentStatus(),
    inspectorFeed: async (actorId) => feeds.inspector(parse(Id, actorId, 'actorId')),
  };
}
