import { useAgents } from './agents-context';
import { AnswerCard } from './answer-card';
import { ConflictView, type DecisionProps } from './conflict-view';
import type { Turn } from './turn-state';

/** A workflow turn: its planned steps in order, each with its dependencies, status and answer. */
export function WorkflowSteps({ turn, ...decision }: { turn: Turn } & DecisionProps) {
  const { nameOf } = useAgents();
  const agentOf = new Map(turn.steps.map((s) => [s.id, s.agent]));
  return (
    <div className="workflow-steps" data-testid="workflow-steps">
      <ol className="workflow-steps__list">
        {turn.steps.map((step, index) => (
          <li key={step.id} className="workflow-steps__item" data-status={step.status}>
            <p className="workflow-steps__label">
              Step {index + 1}
              {step.dependsOn.length > 0
                ? ` · after ${step.dependsOn.map((d) => nameOf(agentOf.get(d) ?? d)).join(', ')}`
                : ''}
              {step.insertedFor ? ` · added to handle ${step.insertedFor}` : ''}
            </p>
            <AnswerCard step={step} />
          </li>
        ))}
      </ol>
      {turn.conflicts.map((conflict) => (
        <ConflictView key={conflict.id} conflict={conflict} {...decision} />
      ))}
    </div>
  );
}
