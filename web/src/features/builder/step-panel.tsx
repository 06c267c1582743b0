'use client';

import type { AgentSummary } from '@/lib/graphql/operations';
import { type BuilderStep, type Problem, connectProblem } from './builder-graph';
import type { BuilderEvent } from './builder.machine';
import styles from './builder.module.css';

/**
 * The chosen step: its agent, instruction and question, the steps it waits for (a checkbox each;
 * those that would close a cycle are disabled and say so), and removing it.
 */
export function StepPanel({
  step,
  steps,
  agents,
  problems,
  send,
}: {
  step: BuilderStep | null;
  steps: readonly BuilderStep[];
  agents: readonly AgentSummary[];
  problems: readonly Problem[];
  send: (event: BuilderEvent) => void;
}) {
  if (!step) {
    return (
      <section className={styles.panel} aria-labelledby="panel-title" data-testid="step-panel">
        <h2 id="panel-title" className={styles.sectionTitle}>
          Step
        </h2>
        <p className={styles.hint}>
          Choose a step on the canvas to give it an instruction and say which steps it waits for.
        </p>
      </section>
    );
  }
  const others = steps.filter((s) => s.id !== step.id);
  const own = problems.filter((p) => p.stepId === step.id);
  const update = (patch: Partial<Pick<BuilderStep, 'agent' | 'instruction' | 'question'>>) =>
    send({ type: 'step.update', id: step.id, patch });
  return (
    <section className={styles.panel} aria-labelledby="panel-title" data-testid="step-panel" data-step={step.id}>
      <h2 id="panel-title" className={styles.sectionTitle}>
        Step <code className={styles.stepId}>{step.id}</code>
      </h2>
      <label className="field">
        <span className="field__label">Agent</span>
        <select
          className="input"
          value={step.agent}
          data-testid="step-agent"
          onChange={(e) => update({ agent: e.target.value })}
        >
          {agents.some((a) => a.id === step.agent) ? null : <option value={step.agent}>{step.agent}</option>}
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field__label">Instruction</span>
        <textarea
          className={`input ${styles.instruction}`}
          rows={4}
          value={step.instruction}
          placeholder="What should this agent do?"
          data-testid="step-instruction"
          aria-invalid={!step.instruction.trim() || undefined}
          onChange={(e) => update({ instruction: e.target.value })}
        />
      </label>
      <label className="field">
        <span className="field__label">Question (optional)</span>
        <input
          className="input"
          value={step.question}
          placeholder="e.g. which API style?"
          onChange={(e) => update({ question: e.target.value })}
        />
        <span className={styles.hint}>
          Steps with the same question answer it independently; disagreement is discussed.
        </span>
      </label>
      <fieldset className={styles.dependsOn}>
        <legend className="field__label">Waits for</legend>
        {others.length === 0 ? <p className={styles.hint}>Add another step to connect them.</p> : null}
        {others.map((other) => {
          const checked = step.dependsOn.includes(other.id);
          const problem = checked ? null : connectProblem(steps, other.id, step.id);
          return (
            <label key={other.id} className={styles.check} title={problem ?? undefined}>
              <input
                type="checkbox"
                checked={checked}
                disabled={problem !== null}
                data-testid="depends-on"
                data-dependency={other.id}
                onChange={() => send({ type: 'dependency.toggle', id: step.id, dependency: other.id })}
              />
              <span>
                {other.id}
                {problem ? <span className={styles.checkWhy}> (would make a cycle)</span> : null}
              </span>
            </label>
          );
        })}
      </fieldset>
      {own.length > 0 ? (
        <ul className={styles.problems} aria-label="Problems with this step">
          {own.map((p) => (
            <li key={p.message}>{p.message}</li>
          ))}
        </ul>
      ) : null}
      <button
        type="button"
        className="button button--stop button--small"
        onClick={() => send({ type: 'step.remove', id: step.id })}
      >
        Remove step
      </button>
    </section>
  );
}
