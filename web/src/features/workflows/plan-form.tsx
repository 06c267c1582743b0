'use client';

import { useState } from 'react';
import { useMutation } from '@/lib/graphql/use-query';
import { PlanWorkflowMutation } from './operations';
import styles from './workflows.module.css';

const examples = [
  'Implement a rate limiter, test it and deploy it',
  'Design the public API, review its security, then document it',
];

/** Describe a task and plan it: reVo answers with a DAG and a prediction, and runs nothing yet. */
export function PlanForm({ onPlanned }: { onPlanned: (runId: string) => void }) {
  const [task, setTask] = useState('');
  const plan = useMutation(PlanWorkflowMutation);
  const submit = async () => {
    const text = task.trim();
    if (!text || plan.pending) return;
    try {
      const { planWorkflow } = await plan.run({ task: text });
      setTask('');
      onPlanned(planWorkflow.runId);
    } catch {
      // `plan.error` says what went wrong.
    }
  };
  return (
    <form
      className={styles.planForm}
      aria-labelledby="plan-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="plan-title" className={styles.sectionTitle}>
        New workflow
      </h2>
      <label className="field">
        <span className="field__label">Task</span>
        <textarea
          className={`input ${styles.taskInput}`}
          rows={3}
          value={task}
          placeholder="What should the agents do? e.g. Implement a rate limiter, test it and deploy it"
          data-testid="task-input"
          onChange={(e) => setTask(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void submit();
            }
          }}
        />
      </label>
      <div className={styles.planActions}>
        <button
          type="submit"
          className="button button--primary"
          disabled={!task.trim() || plan.pending}
          data-testid="plan-button"
        >
          {plan.pending ? 'Planning…' : 'Plan it'}
        </button>
        <span className="muted">Nothing runs until you press Run.</span>
      </div>
      <div className={styles.examples}>
        <span className="muted">Try:</span>
        {examples.map((example) => (
          <button key={example} type="button" className="link-button" onClick={() => setTask(example)}>
            {example}
          </button>
        ))}
      </div>
      {plan.error ? (
        <p className={styles.formError} role="alert">
          {plan.error.message}
        </p>
      ) : null}
    </form>
  );
}
