import type { AgentProfile, AgentStatus, Capability, RankedAgent, Selection, TaskClause } from '@revo/actors';
import type { ModelInfo } from '../api';
import { builder } from '../builder';
import { AgentStateEnum } from './enums';

export const CapabilityRef = builder.objectRef<Capability>('Capability').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    weight: t.exposeFloat('weight'),
    keywords: t.exposeStringList('keywords'),
  }),
});

export const AgentStatusRef = builder.objectRef<AgentStatus>('AgentStatus').implement({
  description: 'What an agent is doing now across all runs.',
  fields: (t) => ({
    agent: t.exposeString('agent'),
    state: t.field({ type: AgentStateEnum, resolve: (s) => s.state }),
    active: t.exposeInt('active', { description: 'Model calls in flight.' }),
    calls: t.exposeInt('calls'),
    failures: t.exposeInt('failures'),
    lastModel: t.exposeString('lastModel', { nullable: true }),
    lastRunId: t.exposeString('lastRunId', { nullable: true }),
    updatedAt: t.field({ type: 'Timestamp', nullable: true, resolve: (s) => (s.updatedAt > 0 ? s.updatedAt : null) }),
  }),
});

export const AgentRef = builder.objectRef<AgentProfile>('Agent').implement({
  description: 'A specialist agent: built in, or from the REVO_AGENTS_FILE.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    capabilities: t.field({ type: [CapabilityRef], resolve: (a) => a.capabilities }),
    positions: t.exposeStringList('positions', { nullable: true }),
    tier: t.string({ resolve: (a) => a.modelPreference.tier }),
    locality: t.string({ resolve: (a) => a.modelPreference.locality }),
    costClass: t.exposeFloat('costClass'),
    models: t.stringList({
      description: 'The model chain this agent walks, local first (provider:name).',
      resolve: (a, _, { api }) => api.models().chains.find((c) => c.agent === a.id)?.models ?? [],
    }),
    status: t.field({
      type: AgentStatusRef,
      resolve: (a, _, { api }) => api.agentStatuses().find((s) => s.agent === a.id) as AgentStatus,
    }),
  }),
});

const ScorePartsRef = builder.objectRef<RankedAgent['parts']>('ScoreParts').implement({
  fields: (t) => ({
    capability: t.exposeFloat('capability'),
    history: t.exposeFloat('history'),
    load: t.exposeFloat('load'),
    cost: t.exposeFloat('cost'),
  }),
});

const RankedAgentRef = builder.objectRef<RankedAgent>('RankedAgent').implement({
  fields: (t) => ({
    agent: t.exposeString('agent'),
    score: t.exposeFloat('score'),
    parts: t.field({ type: ScorePartsRef, resolve: (r) => r.parts }),
    matched: t.exposeStringList('matched', { description: 'The words of the task that matched this agent.' }),
    why: t.exposeString('why', { description: 'The score explained, part by part.' }),
  }),
});

const TaskClauseRef = builder.objectRef<TaskClause>('TaskClause').implement({
  fields: (t) => ({ text: t.exposeString('text'), agent: t.exposeString('agent'), score: t.exposeFloat('score') }),
});

export const SelectionRef = builder.objectRef<Selection>('Selection').implement({
  description: 'Every agent ranked for a task, with why, and the agents the task needs (primary first).',
  fields: (t) => ({
    task: t.exposeString('task'),
    ranking: t.field({ type: [RankedAgentRef], resolve: (s) => s.ranking }),
    chosen: t.stringList({ resolve: (s) => s.chosen }),
    clauses: t.field({ type: [TaskClauseRef], resolve: (s) => s.clauses }),
  }),
});

const ChainRef = builder.objectRef<ModelInfo['chains'][number]>('ModelChain').implement({
  fields: (t) => ({ agent: t.exposeString('agent'), models: t.exposeStringList('models') }),
});

export const ModelInfoRef = builder.objectRef<ModelInfo>('ModelInfo').implement({
  description: 'The models behind this server. offlineOnly: every answer comes from the offline model.',
  fields: (t) => ({
    ollamaBaseUrl: t.exposeString('ollamaBaseUrl'),
    ollamaReachable: t.exposeBoolean('ollamaReachable'),
    ollamaModels: t.exposeStringList('ollamaModels'),
    offlineOnly: t.exposeBoolean('offlineOnly'),
    chains: t.field({ type: [ChainRef], resolve: (m) => m.chains }),
  }),
});

builder.queryFields((t) => ({
  agents: t.field({ type: [AgentRef], resolve: (_, __, { api }) => [...api.agents()] }),
  agent: t.field({
    type: AgentRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, { api }) => api.agents().find((a) => a.id === String(id)) ?? null,
  }),
  agentStatuses: t.field({ type: [AgentStatusRef], resolve: (_, __, { api }) => api.agentStatuses() }),
  agentSelection: t.field({
    type: SelectionRef,
    description: 'Which agents reVo would pick for a task, and why.',
    args: { task: t.arg.string({ required: true }) },
    resolve: (_, { task }, { api }) => api.select(task),
  }),
  models: t.field({ type: ModelInfoRef, resolve: (_, __, { api }) => api.models() }),
}));

builder.subscriptionFields((t) => ({
  agentStatus: t.field({
    type: AgentStatusRef,
    description: "Every agent's status first, then each change.",
    subscribe: (_, __, { api }) => api.agentStatusFeed(),
    resolve: (status) => status,
  }),
}));
