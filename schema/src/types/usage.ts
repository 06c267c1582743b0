import type { AgentAnswer, Usage, UsageTotals } from '@revo/actors';
import { builder } from '../builder';
import { FlagEnum, ProviderEnum } from './enums';

export const UsageRef = builder.objectRef<Usage>('Usage').implement({
  description: 'What one model call cost. offline: the offline model answered (no LLM was involved).',
  fields: (t) => ({
    model: t.exposeString('model'),
    provider: t.field({ type: ProviderEnum, resolve: (u) => u.provider }),
    local: t.exposeBoolean('local'),
    offline: t.boolean({ resolve: (u) => u.provider === 'offline' }),
    tokensIn: t.exposeInt('tokensIn'),
    tokensOut: t.exposeInt('tokensOut'),
    costUsd: t.exposeFloat('costUsd'),
    latencyMs: t.exposeFloat('latencyMs'),
  }),
});

export const UsageTotalsRef = builder.objectRef<UsageTotals>('UsageTotals').implement({
  description: 'Totals over many model calls; localShare is the share served locally (Ollama or offline).',
  fields: (t) => ({
    calls: t.exposeInt('calls'),
    localCalls: t.exposeInt('localCalls'),
    offlineCalls: t.exposeInt('offlineCalls'),
    tokensIn: t.exposeInt('tokensIn'),
    tokensOut: t.exposeInt('tokensOut'),
    costUsd: t.exposeFloat('costUsd'),
    latencyMs: t.exposeFloat('latencyMs'),
    localShare: t.float({ resolve: (u) => (u.calls === 0 ? 1 : u.localCalls / u.calls) }),
  }),
});

export const AgentAnswerRef = builder.objectRef<AgentAnswer>('AgentAnswer').implement({
  description: "An agent's accepted answer, its stance (position), and what it cost.",
  fields: (t) => ({
    answer: t.exposeString('answer'),
    position: t.exposeString('position', { description: 'A short normalised stance; differing positions conflict.' }),
    confidence: t.exposeFloat('confidence'),
    rationale: t.exposeString('rationale'),
    flag: t.field({ type: FlagEnum, resolve: (a) => a.flag }),
    usage: t.field({ type: UsageRef, resolve: (a) => a.usage }),
    model: t.string({ resolve: (a) => a.usage.model }),
    offline: t.boolean({ resolve: (a) => a.usage.provider === 'offline' }),
  }),
});
