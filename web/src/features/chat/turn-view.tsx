import { PositionHues } from '@/components/ui/badges';
import { RichText } from '@/components/ui/rich-text';
import { AgentStatusList } from './agent-status-list';
import { stepText } from './answer-card';
import type { DecisionProps } from './conflict-view';
import { MultiAgentPanel } from './multi-agent-panel';
import type { Turn } from './turn-state';
import { WorkflowSteps } from './workflow-steps';

/** The details of a turn for its mode: side-by-side agents, the workflow's steps, or nothing extra. */
export function TurnBody({ turn, ...decision }: { turn: Turn } & DecisionProps) {
  if (turn.mode === 'SINGLE') return null;
  const positions = [
    ...turn.conflicts.flatMap((c) => [...c.positions.map((p) => p.position), ...c.options]),
    ...turn.steps.flatMap((s) => (s.answer ? [s.answer.position] : [])),
  ];
  return (
    <PositionHues positions={positions}>
      {turn.mode === 'MULTI' ? (
        <MultiAgentPanel turn={turn} {...decision} />
      ) : (
        <WorkflowSteps turn={turn} {...decision} />
      )}
    </PositionHues>
  );
}

/**
 * The turn that is running, below the last message: the agents' live status, then the answer
 * streaming in (single mode) or the multi-agent panel or workflow steps.
 */
export function LiveTurn({ turn, ...decision }: { turn: Turn } & DecisionProps) {
  const step = turn.steps.find((s) => s.status === 'RUNNING') ?? turn.steps.at(-1);
  const single = step ? stepText(step) : null;
  return (
    <section className="live-turn" data-testid="live-turn" aria-label="reVo is answering">
      <AgentStatusList agents={turn.agents} state={turn.state} />
      {turn.mode === 'SINGLE' ? (
        <div className="message message--assistant message--live">
          <div className="message__content" data-testid="streaming-answer" aria-busy="true">
            {single?.text ? <RichText text={single.text} className="is-streaming" /> : null}
            {!single?.text ? (
              <p className="typing" role="status">
                <span className="visually-hidden">{single?.placeholder ?? 'Working on it…'}</span>
                <span aria-hidden="true" />
                <span aria-hidden="true" />
                <span aria-hidden="true" />
              </p>
            ) : null}
          </div>
        </div>
      ) : (
        <TurnBody turn={turn} {...decision} />
      )}
    </section>
  );
}
