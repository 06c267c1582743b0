import { ConfidenceMeter, LocalityBadge, ModelName, PositionChip } from '@/components/ui/badges';
import { RichText } from '@/components/ui/rich-text';
import { formatCost, formatDuration, localityOf } from '@/lib/format';
import { useAgents } from './agents-context';
import { streamedAnswer } from './streamed-answer';
import type { AgentPhase, TurnStep } from './turn-state';

const stepPhase: Record<TurnStep['status'], AgentPhase> = {
  PENDING: 'queued',
  RUNNING: 'working',
  SUCCEEDED: 'done',
  FAILED: 'failed',
  SKIPPED: 'done',
  CANCELLED: 'failed',
};

/** What a step has to show now: its answer, what has streamed of it, or why there is nothing. */
export function stepText(step: TurnStep): { text: string; streaming: boolean; placeholder: string | null } {
  if (step.answer) return { text: step.answer.answer, streaming: false, placeholder: null };
  if (step.status === 'FAILED' || step.status === 'CANCELLED')
    return { text: '', streaming: false, placeholder: step.error || 'No answer.' };
  if (step.status === 'SKIPPED') return { text: '', streaming: false, placeholder: step.error || 'Skipped.' };
  const streamed = streamedAnswer(step.streamed);
  if (streamed.text) return { text: streamed.text, streaming: true, placeholder: null };
  if (step.status === 'PENDING') return { text: '', streaming: false, placeholder: 'Waiting for its turn…' };
  return { text: '', streaming: true, placeholder: streamed.thinking ? 'Thinking…' : 'Working on it…' };
}

/**
 * One agent's answer in a multi-agent turn or one step of a workflow: streaming while it runs,
 * then the answer with its position, confidence, model and cost. `conflict` marks a card whose
 * position disagrees with others.
 */
export function AnswerCard({ step, conflict = false }: { step: TurnStep; conflict?: boolean }) {
  const { nameOf } = useAgents();
  const { text, streaming, placeholder } = stepText(step);
  const answer = step.answer;
  const phase = stepPhase[step.status];
  return (
    <article
      className="answer-card"
      data-testid="agent-answer"
      data-agent={step.agent}
      data-status={step.status}
      data-conflict={conflict || undefined}
    >
      <header className="answer-card__header">
        <span className={`dot dot--${phase}`} aria-hidden="true" />
        <h4 className="answer-card__agent">{nameOf(step.agent)}</h4>
        {answer ? <LocalityBadge locality={localityOf(answer.usage)} /> : null}
      </header>
      {step.instruction && step.instruction !== step.question ? (
        <p className="answer-card__instruction">{step.instruction}</p>
      ) : null}
      <div className="answer-card__body" aria-busy={streaming}>
        {text ? <RichText text={text} className={streaming ? 'is-streaming' : undefined} /> : null}
        {placeholder ? <p className="answer-card__placeholder">{placeholder}</p> : null}
      </div>
      {answer ? (
        <footer className="answer-card__footer">
          <PositionChip position={answer.position} strong={conflict} />
          <ConfidenceMeter value={answer.confidence} />
          <span className="answer-card__usage">
            <ModelName id={answer.model} /> · {formatCost(answer.usage.costUsd)} ·{' '}
            {formatDuration(answer.usage.latencyMs)}
          </span>
        </footer>
      ) : step.model ? (
        <footer className="answer-card__footer">
          <ModelName id={step.model} />
        </footer>
      ) : null}
    </article>
  );
}
