'use client';

import { useMemo } from 'react';
import type { TurnStep } from '@/features/chat/turn-state';
import { formatCost, formatDuration, localityOf, localityLabel } from '@/lib/format';
import { type DagDirection, layoutDag } from './dag-layout';
import styles from './dag-graph.module.css';
import { stepElapsed, stepStatusLabel } from './step-status';
import { NARROW, useMediaQuery } from './use-media-query';

/**
 * A run's plan as a graph: one card per step in dependency layers, SVG edges between them, each card
 * coloured by the step's status with its agent, elapsed time and cost. Cards are buttons: choosing
 * one shows that step's answer under the graph.
 */
export function DagGraph({
  steps,
  nameOf,
  now,
  selectedId,
  onSelect,
}: {
  steps: readonly TurnStep[];
  nameOf: (agent: string) => string;
  now: number;
  selectedId: string | null;
  onSelect: (stepId: string | null) => void;
}) {
  const narrow = useMediaQuery(NARROW);
  const direction: DagDirection = narrow ? 'down' : 'right';
  const shape = steps.map((s) => `${s.id}<${s.dependsOn.join(',')}`).join(';');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `shape` stands for the steps' ids and edges.
  const layout = useMemo(
    () => layoutDag(steps, { direction, nodeWidth: narrow ? 200 : 208, nodeHeight: 100, layerGap: narrow ? 40 : 56 }),
    [shape, direction, narrow],
  );
  const byId = new Map(steps.map((s) => [s.id, s]));

  return (
    <div className={styles.scroller} data-testid="workflow-graph">
      <div className={styles.canvas} style={{ width: layout.width, height: layout.height }}>
        <svg className={styles.edges} width={layout.width} height={layout.height} aria-hidden="true">
          <defs>
            <marker id="dag-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
              <path d="M0,0 L10,5 L0,10 z" className={styles.arrowHead} />
            </marker>
          </defs>
          {layout.edges.map((edge) => (
            <path
              key={`${edge.from}>${edge.to}`}
              d={edge.path}
              className={styles.edge}
              data-from-status={byId.get(edge.from)?.status}
              data-to-status={byId.get(edge.to)?.status}
              markerEnd="url(#dag-arrow)"
            />
          ))}
        </svg>
        <ol className={styles.nodes} aria-label="Steps">
          {layout.nodes.map((node) => {
            const step = byId.get(node.id);
            if (!step) return null;
            const elapsed = stepElapsed(step, now);
            const usage = step.answer?.usage;
            const after = step.dependsOn.map((d) => nameOf(byId.get(d)?.agent ?? d));
            return (
              <li
                key={node.id}
                className={styles.node}
                style={{ left: node.x, top: node.y, width: node.width, height: node.height }}
              >
                <button
                  type="button"
                  className={styles.card}
                  data-testid="graph-step"
                  data-step={step.id}
                  data-status={step.status}
                  aria-pressed={selectedId === step.id}
                  aria-label={`${nameOf(step.agent)}: ${stepStatusLabel[step.status]}${after.length > 0 ? `, after ${after.join(', ')}` : ''}`}
                  onClick={() => onSelect(selectedId === step.id ? null : step.id)}
                >
                  <span className={styles.head}>
                    <span className={styles.dot} aria-hidden="true" />
                    <span className={styles.agent}>{nameOf(step.agent)}</span>
                  </span>
                  <span className={styles.instruction} title={step.instruction}>
                    {step.instruction || step.id}
                  </span>
                  <span className={styles.meta}>
                    <span className={styles.status}>{stepStatusLabel[step.status]}</span>
                    {elapsed !== null ? <span>{formatDuration(elapsed)}</span> : null}
                    {usage ? <span title={localityLabel[localityOf(usage)]}>{formatCost(usage.costUsd)}</span> : null}
                    {step.insertedFor ? <span>added</span> : null}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
