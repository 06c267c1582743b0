'use client';

import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { formatRelativeTime } from '@/lib/format';
import type { QueryState } from '@/lib/graphql/use-query';
import { useMutation } from '@/lib/graphql/use-query';
import type { Connection } from '@/lib/graphql/schema-types';
import { DeleteWorkflowTemplateMutation, type TemplateFields } from './operations';
import styles from './builder.module.css';

/** Saved templates: open one on the canvas, or delete it (asked twice). */
export function TemplateList({
  templates,
  currentId,
  onOpen,
  onDeleted,
}: {
  templates: QueryState<{ workflowTemplates: Connection<TemplateFields> }>;
  currentId: string | null;
  onOpen: (template: TemplateFields) => void;
  onDeleted: (id: string) => void;
}) {
  const remove = useMutation(DeleteWorkflowTemplateMutation);
  const [confirming, setConfirming] = useState<string | null>(null);
  const items = templates.data?.workflowTemplates.nodes ?? [];
  return (
    <section className={styles.templates} aria-labelledby="templates-title">
      <h2 id="templates-title" className={styles.sectionTitle}>
        Templates
      </h2>
      {templates.loading && items.length === 0 ? <LoadingState label="Loading templates…" /> : null}
      {templates.error ? (
        <ErrorState error={templates.error} title="Could not load templates" onRetry={templates.refetch} />
      ) : null}
      {!templates.loading && !templates.error && items.length === 0 ? (
        <EmptyState title="No templates yet">Build a workflow and save it.</EmptyState>
      ) : null}
      <ul className={styles.templateList} data-testid="templates">
        {items.map((t) => (
          <li key={t.id} className={styles.template} aria-current={t.id === currentId ? 'true' : undefined}>
            <button type="button" className={styles.templateOpen} onClick={() => onOpen(t)} data-template={t.id}>
              <span className={styles.templateName}>{t.name}</span>
              <span className={styles.templateMeta}>
                {t.plan.steps.length} step{t.plan.steps.length === 1 ? '' : 's'} · {formatRelativeTime(t.updatedAt)}
              </span>
            </button>
            <button
              type="button"
              className="button button--small button--quiet"
              aria-label={confirming === t.id ? `Really delete ${t.name}` : `Delete ${t.name}`}
              disabled={remove.pending}
              onClick={() => {
                if (confirming !== t.id) {
                  setConfirming(t.id);
                  return;
                }
                setConfirming(null);
                remove.run({ id: t.id }).then(
                  () => {
                    onDeleted(t.id);
                    templates.refetch();
                  },
                  () => {},
                );
              }}
            >
              {confirming === t.id ? 'Sure?' : 'Delete'}
            </button>
          </li>
        ))}
      </ul>
      {remove.error ? (
        <p className={styles.error} role="alert">
          {remove.error.message}
        </p>
      ) : null}
    </section>
  );
}
