'use client';

import { LocalityBadge, ModelName } from '@/components/ui/badges';
import { Disclosure } from '@/components/ui/disclosure';
import { RichText } from '@/components/ui/rich-text';
import { formatCost, formatPercent, localityOf } from '@/lib/format';
import type { Message } from '@/lib/graphql/schema-types';
import { useAgents } from './agents-context';
import { chatModes } from './chat-modes';
import type { DecisionProps } from './conflict-view';
import { FeedbackControl } from './feedback-control';
import type { Turn } from './turn-state';
import { TurnBody } from './turn-view';
import { useTurnDetails } from './use-turn-details';

export function UserMessage({ message }: { message: Message }) {
  const { nameOf } = useAgents();
  const mode = chatModes.find((m) => m.mode === message.mode)?.label ?? message.mode;
  return (
    <article className="message message--user" data-testid="user-message">
      <RichText text={message.content} className="message__content" />
      <p className="message__tags">
        {mode}
        {message.agents.length > 0 ? ` · ${message.agents.map(nameOf).join(', ')}` : ' · agents chosen by reVo'}
      </p>
    </article>
  );
}

/** The models that wrote a turn's answers, each once, with where it ran. */
function modelsOf(turn: Turn | null) {
  const seen = new Map<string, ReturnType<typeof localityOf>>();
  for (const step of turn?.steps ?? []) {
    if (step.answer && !seen.has(step.answer.model)) seen.set(step.answer.model, localityOf(step.answer.usage));
  }
  return [...seen];
}

/**
 * An answer: who answered, on which models (local, cloud or the offline model), what it cost, the
 * answer itself, the multi-agent or workflow details, and thumbs up or down.
 */
export function AssistantMessage({
  message,
  liveTurn,
  expanded,
  ...decision
}: { message: Message; liveTurn: Turn | undefined; expanded: boolean } & DecisionProps) {
  const { nameOf } = useAgents();
  const turn = useTurnDetails(message.runId, liveTurn);
  const models = modelsOf(turn);
  const failed = message.status === 'FAILED' || message.status === 'CANCELLED';
  const hasDetails = message.mode !== 'SINGLE' && turn !== null && turn.steps.length > 0;
  return (
    <article
      className={failed ? 'message message--assistant message--failed' : 'message message--assistant'}
      data-testid="assistant-message"
      data-run-id={message.runId ?? undefined}
    >
      <header className="message__meta" data-testid="message-meta">
        <span className="message__agents">{message.agents.map(nameOf).join(', ') || 'reVo'}</span>
        {models.map(([model, locality]) => (
          <span key={model} className="message__model">
            <ModelName id={model} />
            <LocalityBadge locality={locality} />
          </span>
        ))}
        {models.length === 0 && message.offline ? <LocalityBadge locality="offline" /> : null}
        {message.usage ? (
          <span className="message__cost" title={`${message.usage.tokensIn} tokens in, ${message.usage.tokensOut} out`}>
            {formatCost(message.usage.costUsd)} · {message.usage.calls} {message.usage.calls === 1 ? 'call' : 'calls'} ·{' '}
            {formatPercent(message.usage.localShare)} local
          </span>
        ) : null}
        {failed ? <span className="badge badge--failed">{message.status?.toLowerCase()}</span> : null}
      </header>
      <RichText text={message.content} className="message__content" />
      {hasDetails ? (
        <Disclosure
          // The newest answer opens its details; an earlier one folds them when a new answer comes.
          key={expanded ? 'newest' : 'earlier'}
          className="message__details"
          defaultOpen={expanded}
          summary={
            message.mode === 'MULTI'
              ? `${turn.steps.length} agents answered${turn.conflicts.length > 0 ? ', with a disagreement' : ''}`
              : `${turn.steps.length} workflow steps`
          }
        >
          <TurnBody turn={turn} {...decision} />
        </Disclosure>
      ) : null}
      {message.runId ? <FeedbackControl runId={message.runId} /> : null}
    </article>
  );
}
