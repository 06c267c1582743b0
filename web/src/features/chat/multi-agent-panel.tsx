import { AnswerCard } from './answer-card';
import { ConflictView, type DecisionProps } from './conflict-view';
import type { Turn } from './turn-state';

/** A multi-agent turn: every agent's answer side by side, then each disagreement as it unfolds. */
export function MultiAgentPanel({ turn, ...decision }: { turn: Turn } & DecisionProps) {
  const contested = new Set(turn.conflicts.flatMap((c) => c.steps));
  return (
    <div className="multi-panel" data-testid="multi-agent-panel">
      <div className="answers-grid">
        {turn.steps.map((step) => (
          <AnswerCard key={step.id} step={step} conflict={contested.has(step.id)} />
        ))}
      </div>
      {turn.conflicts.map((conflict) => (
        <ConflictView key={conflict.id} conflict={conflict} {...decision} />
      ))}
    </div>
  );
}
