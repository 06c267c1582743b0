'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo } from 'react';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { AgentsProvider, useAgents } from '@/features/chat/agents-context';
import { useRevoClient } from '@/lib/graphql/revo-provider';
import { useQuery } from '@/lib/graphql/use-query';
import { AgentPalette } from './agent-palette';
import { BuilderCanvas } from './builder-canvas';
import { validateGraph } from './builder-graph';
import { blockers } from './builder.machine';
import styles from './builder.module.css';
import { WorkflowTemplateQuery, WorkflowTemplatesQuery } from './operations';
import { StepPanel } from './step-panel';
import { TemplateList } from './template-list';
import { useBuilder } from './use-builder';

/** `/builder?template=<id>` opens a saved template; `/builder` starts an empty canvas. */
export function BuilderPage() {
  return (
    <AgentsProvider>
      <Builder />
    </AgentsProvider>
  );
}

function Builder() {
  const router = useRouter();
  const client = useRevoClient();
  const requested = useSearchParams().get('template');
  const { agents, loading: agentsLoading, error: agentsError, nameOf } = useAgents();
  const [state, send] = useBuilder();
  const { context } = state;
  const templates = useQuery(WorkflowTemplatesQuery, { first: 50 });
  const busy = state.matches('saving') || state.matches('running');

  const agentIds = useMemo(() => agents.map((a) => a.id), [agents]);
  useEffect(() => {
    send({ type: 'agents.known', agents: agentIds });
  }, [agentIds, send]);

  // A template named in the URL: load it once it arrives (and not again after edits).
  const wanted = useQuery(WorkflowTemplateQuery, { id: requested ?? '' }, { skip: !requested });
  const loaded = wanted.data?.workflowTemplate;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a newly loaded template replaces the canvas.
  useEffect(() => {
    if (loaded && loaded.id !== context.templateId) send({ type: 'template.load', template: loaded });
  }, [loaded]);

  // Saved: the URL names the template and the list shows it.
  const { refetch } = templates;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `dirty` turning false is a save: list it.
  useEffect(() => {
    if (!context.templateId) return;
    window.history.replaceState(null, '', `/builder?template=${encodeURIComponent(context.templateId)}`);
    refetch();
  }, [context.templateId, context.dirty, refetch]);

  // A run started: watch it live on the workflows page.
  useEffect(() => {
    if (context.lastRunId) router.push(`/workflows?run=${encodeURIComponent(context.lastRunId)}`);
  }, [context.lastRunId, router]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && context.connectFrom) send({ type: 'connect.cancel' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [context.connectFrom, send]);

  const problems = validateGraph(context.steps, new Set(agentIds));
  const blocking = blockers(context);
  const invalid = new Set(problems.flatMap((p) => (p.stepId ? [p.stepId] : [])));
  const selected = context.steps.find((s) => s.id === context.selectedId) ?? null;
  const stateName = typeof state.value === 'string' ? state.value : JSON.stringify(state.value);

  if (agentsError) return <ErrorState error={agentsError} title="Could not load the agents" />;
  if (agentsLoading && agents.length === 0) return <LoadingState label="Loading the agents…" />;

  return (
    <div className={styles.page} data-testid="builder" data-state={stateName}>
      <form
        className={styles.toolbar}
        aria-label="Template"
        onSubmit={(e) => {
          e.preventDefault();
          send({ type: 'save' });
        }}
      >
        <label className={styles.nameField}>
          <span className="visually-hidden">Template name</span>
          <input
            className="input"
            value={context.name}
            placeholder="Template name"
            data-testid="template-name"
            onChange={(e) => send({ type: 'meta.update', name: e.target.value })}
          />
        </label>
        <label className={styles.descriptionField}>
          <span className="visually-hidden">Description (the task a run gets)</span>
          <input
            className="input"
            value={context.description}
            placeholder="Description: the task a run of it gets"
            data-testid="template-description"
            onChange={(e) => send({ type: 'meta.update', description: e.target.value })}
          />
        </label>
        <div className={styles.toolbarButtons}>
          <button type="button" className="button button--quiet" onClick={() => send({ type: 'template.new' })}>
            New
          </button>
          <button
            type="button"
            className="button button--quiet"
            onClick={() => send({ type: 'layout.tidy' })}
            disabled={context.steps.length === 0}
          >
            Tidy
          </button>
          <button
            type="submit"
            className="button"
            disabled={busy || blocking.length > 0}
            aria-describedby="builder-checks"
            data-testid="save-template"
          >
            {state.matches('saving') ? 'Saving…' : context.templateId && !context.dirty ? 'Saved' : 'Save'}
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={busy || blocking.length > 0 || !client}
            aria-describedby="builder-checks"
            data-testid="run-template"
            onClick={() => send({ type: 'run' })}
          >
            {state.matches('running') ? 'Starting…' : 'Run'}
          </button>
        </div>
      </form>

      <aside className={styles.side} aria-label="Agents and templates">
        <AgentPalette agents={agents} disabled={busy} onAdd={(agent) => send({ type: 'step.add', agent })} />
        <TemplateList
          templates={templates}
          currentId={context.templateId}
          onOpen={(template) => send({ type: 'template.load', template })}
          onDeleted={(id) => send({ type: 'template.deleted', id })}
        />
      </aside>

      <section className={styles.work} aria-label="Canvas">
        <div id="builder-checks" className={styles.checks} aria-live="polite" data-testid="builder-checks">
          {state.matches('error') ? (
            <p className={styles.error} role="alert">
              {context.error}{' '}
              <button type="button" className="link-button" onClick={() => send({ type: 'dismiss' })}>
                Dismiss
              </button>
            </p>
          ) : null}
          {context.connectFrom ? (
            <p className={styles.notice}>
              Choose the step that waits for <strong>{context.connectFrom}</strong> (Esc to stop).
            </p>
          ) : null}
          {context.notice ? <p className={styles.notice}>{context.notice}</p> : null}
          {blocking.length > 0 ? (
            <p className={styles.blockers}>
              <strong>Before saving:</strong> {blocking.join(' ')}
            </p>
          ) : (
            <p className={styles.ready}>Ready: {context.steps.length} steps, no cycles.</p>
          )}
        </div>
        <BuilderCanvas
          steps={context.steps}
          selectedId={context.selectedId}
          connectFrom={context.connectFrom}
          invalid={invalid}
          nameOf={nameOf}
          send={send}
        />
      </section>

      <aside className={styles.inspector} aria-label="Chosen step">
        <StepPanel step={selected} steps={context.steps} agents={agents} problems={problems} send={send} />
      </aside>
    </div>
  );
}
