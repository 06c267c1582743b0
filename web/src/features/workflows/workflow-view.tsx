'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { Disclosure } from '@/components/ui/disclosure';
import { RichText } from '@/components/ui/rich-text';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { useAgents } from '@/features/chat/agents-context';
import { AnswerCard } from '@/features/chat/answer-card';
import { ConflictView } from '@/features/chat/conflict-view';
import { isEnded } from '@/features/chat/turn-state';
import { formatCost, formatDuration, formatPercent, formatRelativeTime } from '@/lib/format';
import { CancelWorkflowMutation, DecideConflictMutation } from '@/lib/graphql/operations';
import { useMutation, useQuery } from '@/lib/graphql/use-query';
import { DagGraph } from './dag-graph';
import { RetryWorkflowMutation, RunPlannedWorkflowMutation, WorkflowHeaderQuery } from './operations';
import { PredictionPanel } from './prediction-panel';
import { runCost, runDuration, runOutcome, stepProgress } from './run-summary';
import { WorkflowStatusBadge } from './status-badge';
import { useNow } from './use-now';
import { useWorkflowRun } from './use-workflow-run';
import styles from './workflows.module.css';

/**
 * One run: its task, prediction, plan as a live graph, the chosen step's answer, conflicts (decide
 * an escalated one here), the final answer and what it cost. Planned runs wait for Run.
 */
export function WorkflowView({
  runId,
  onOpen,
  onStatusChange,
}: {
  runId: string;
  /** Another run to show (a retry). */
  onOpen: (runId: string) => void;
  /** The run's status moved: the history may want to refresh. */
  onStatusChange: () => void;
}) {
  const { nameOf } = useAgents();
  const header = useQuery(WorkflowHeaderQuery, { runId });
  const [generation, setGeneration] = useState(0);
  const run = useWorkflowRun(runId, generation);
  const turn = run.turn?.runId === runId ? run.turn : null;
  const [selected, setSelected] = useState<string | null>(null);
  const start = useMutation(RunPlannedWorkflowMutation);
  const cancel = useMutation(CancelWorkflowMutation);
  const retry = useMutation(RetryWorkflowMutation);
  const decide = useMutation(DecideConflictMutation);
  const live = turn !== null && !isEnded(turn.status) && turn.status !== 'PLANNED';
  const now = useNow(live);

  const status = turn?.status ?? header.data?.workflow?.status;
  const { refetch } = header;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the moments the header (cost, end time) changes.
  useEffect(() => {
    if (status) {
      refetch();
      onStatusChange();
    }
  }, [status]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new run starts with nothing chosen.
  useEffect(() => {
    setSelected(null);
  }, [runId]);

  if (header.error) return <ErrorState error={header.error} title="Could not load this run" onRetry={refetch} />;
  const workflow = header.data?.workflow;
  if (header.data && !workflow) return <ErrorState error={new Error(`There is no run "${runId}".`)} />;
  if (!workflow || !turn) {
    return run.error ? (
      <ErrorState error={run.error} title="Could not follow this run" />
    ) : (
      <LoadingState label="Loading the run…" />
    );
  }

  const progress = stepProgress(turn);
  const duration = runDuration(turn, now);
  const step = turn.steps.find((s) => s.id === selected) ?? null;
  const onRun = async () => {
    try {
      await start.run({ runId });
      setGeneration((g) => g + 1);
    } catch {
      // Shown below the buttons.
    }
  };
  const onRetry = async () => {
    try {
      const { retryWorkflow } = await retry.run({ runId });
      onOpen(retryWorkflow.runId);
    } catch {
      // Shown below the buttons.
    }
  };
  const actionError = start.error ?? cancel.error ?? retry.error;

  return (
    <article className={styles.view} data-testid="workflow-view" data-run={runId} data-status={turn.status}>
      <header className={styles.viewHead}>
        <div className={styles.viewTitle}>
          <h1 className={styles.task}>{workflow.task}</h1>
          <p className={styles.viewMeta}>
            <WorkflowStatusBadge status={turn.status} />
            <span>
              state <code>{turn.state}</code>
            </span>
            <span data-testid="step-progress">
              {progress.done}/{progress.total} steps
            </span>
            {duration !== null ? <span>{formatDuration(duration)}</span> : null}
            <span data-testid="run-cost">{formatCost(runCost(turn))}</span>
            {turn.usage ? <span>{formatPercent(turn.usage.localShare)} local</span> : null}
            <span title={workflow.createdAt}>
              {turn.status === 'PLANNED' ? 'planned' : 'created'} {formatRelativeTime(workflow.createdAt, now)}
            </span>
            {workflow.plan ? <span>planner: {workflow.plan.planner}</span> : null}
          </p>
        </div>
        <div className={styles.actions}>
          {turn.status === 'PLANNED' ? (
            <button
              type="button"
              className="button button--primary"
              onClick={() => void onRun()}
              disabled={start.pending}
              data-testid="run-button"
            >
              {start.pending ? 'Starting…' : 'Run'}
            </button>
          ) : null}
          {live ? (
            <button
              type="button"
              className="button button--stop"
              onClick={() => void cancel.run({ runId, reason: 'cancelled from the workflows page' }).catch(() => {})}
              disabled={cancel.pending}
            >
              Cancel
            </button>
          ) : null}
          {isEnded(turn.status) ? (
            <button type="button" className="button" onClick={() => void onRetry()} disabled={retry.pending}>
              Run again
            </button>
          ) : null}
          <Link className="button button--quiet" href={`/inspector?run=${encodeURIComponent(runId)}`}>
            Inspect
          </Link>
        </div>
      </header>
      {actionError ? (
        <p className={styles.formError} role="alert">
          {actionError.message}
        </p>
      ) : null}

      {workflow.prediction ? (
        <PredictionPanel prediction={workflow.prediction} outcome={runOutcome(turn, now)} />
      ) : null}

      <section aria-labelledby="graph-title" className={styles.graphSection}>
        <h2 id="graph-title" className={styles.sectionTitle}>
          Plan
          {workflow.plan?.rationale ? <span className={styles.rationale}> · {workflow.plan.rationale}</span> : null}
        </h2>
        {turn.steps.length > 0 ? (
          <DagGraph steps={turn.steps} nameOf={nameOf} now={now} selectedId={selected} onSelect={setSelected} />
        ) : (
          <LoadingState label={`The planner is at work (${turn.state})…`} />
        )}
        <p className={styles.hint}>Choose a step to read its answer.</p>
      </section>

      {step ? (
        <section aria-label={`Step ${step.id}`} className={styles.stepDetail} data-testid="step-detail">
          <AnswerCard step={step} />
        </section>
      ) : null}

      {turn.conflicts.map((conflict) => (
        <ConflictView
          key={conflict.id}
          conflict={conflict}
          deciding={decide.pending}
          error={decide.error?.message ?? null}
          onDecide={(conflictId, position) => void decide.run({ runId, conflictId, position }).catch(() => {})}
        />
      ))}

      {turn.error ? (
        <p className={styles.formError} role="alert">
          {turn.error}
        </p>
      ) : null}

      {turn.answer ? (
        <Disclosure summary="Final answer" defaultOpen className={styles.answer} testId="final-answer">
          <RichText text={turn.answer} />
        </Disclosure>
      ) : null}

      {workflow.costBreakdown.length > 0 ? (
        <Disclosure summary="Cost by agent and model" className={styles.answer}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Model</th>
                <th scope="col">Calls</th>
                <th scope="col">Tokens in / out</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {workflow.costBreakdown.map((line) => (
                <tr key={`${line.agent}/${line.model}`}>
                  <td>{nameOf(line.agent)}</td>
                  <td>
                    {line.model} {line.local ? <span className="muted">(local)</span> : null}
                  </td>
                  <td>{line.calls}</td>
                  <td>
                    {line.tokensIn} / {line.tokensOut}
                  </td>
                  <td>{formatCost(line.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Disclosure>
      ) : null}
    </article>
  );
}
