'use client';

import { useRef, useState } from 'react';
import { edgePath } from '@/features/workflows/dag-layout';
import { type BuilderStep, NODE, canvasExtent } from './builder-graph';
import type { BuilderEvent } from './builder.machine';
import styles from './builder.module.css';

/** The drag-and-drop type of an agent taken from the palette. */
export const AGENT_MIME = 'application/x-revo-agent';

interface Drag {
  id: string;
  /** Where the pointer grabbed the node, from its corner. */
  grabX: number;
  grabY: number;
  x: number;
  y: number;
  moved: boolean;
}

interface Wire {
  from: string;
  x: number;
  y: number;
  startX: number;
  startY: number;
  moved: boolean;
}

const MOVED = 4;
const far = (a: { x: number; y: number }, x: number, y: number) => Math.hypot(a.x - x, a.y - y) > MOVED;

/**
 * The canvas: steps as cards placed where they were dropped, dependencies as arrows. Drag a card to
 * move it (or focus it and use the arrow keys); drag from its right handle to another card to make
 * that one wait for it (or press the handle, then choose the card). Agents dropped from the palette
 * become steps.
 */
export function BuilderCanvas({
  steps,
  selectedId,
  connectFrom,
  invalid,
  nameOf,
  send,
}: {
  steps: readonly BuilderStep[];
  selectedId: string | null;
  /** Set while a new dependency is being drawn. */
  connectFrom: string | null;
  /** Steps with a problem (no instruction, unknown agent, ...). */
  invalid: ReadonlySet<string>;
  nameOf: (agent: string) => string;
  send: (event: BuilderEvent) => void;
}) {
  const canvas = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [wire, setWire] = useState<Wire | null>(null);
  const [dropping, setDropping] = useState(false);
  // A pointer gesture also ends in a click: this one must not count as choosing the step.
  const swallowClick = useRef(false);

  const point = (e: { clientX: number; clientY: number }) => {
    const rect = canvas.current?.getBoundingClientRect();
    return { x: e.clientX - (rect?.left ?? 0), y: e.clientY - (rect?.top ?? 0) };
  };
  const placed = (step: BuilderStep) => (drag?.id === step.id ? { ...step, x: drag.x, y: drag.y } : step);
  const boxes = new Map(steps.map((s) => [s.id, { ...placed(s), width: NODE.width, height: NODE.height }]));
  const extent = canvasExtent(steps.map(placed));
  const source = connectFrom ? boxes.get(connectFrom) : undefined;

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping agents is a pointer shortcut; every agent has an Add button.
    <div
      className={styles.canvasScroller}
      data-dropping={dropping || undefined}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(AGENT_MIME)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setDropping(true);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(e) => {
        const agent = e.dataTransfer.getData(AGENT_MIME);
        setDropping(false);
        if (!agent) return;
        e.preventDefault();
        const p = point(e);
        send({ type: 'step.add', agent, at: { x: p.x - NODE.width / 2, y: p.y - NODE.height / 2 } });
      }}
    >
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a click on the empty canvas only clears the choice; every action has a button. */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: Escape does the same from anywhere (builder page). */}
      <div
        ref={canvas}
        className={styles.canvas}
        style={{ width: extent.width, height: extent.height }}
        data-testid="builder-canvas"
        data-connecting={connectFrom ?? undefined}
        onClick={(e) => {
          if (e.target !== e.currentTarget) return;
          if (connectFrom) send({ type: 'connect.cancel' });
          else send({ type: 'step.select', id: null });
        }}
      >
        <svg className={styles.wires} width={extent.width} height={extent.height} aria-hidden="true">
          <defs>
            <marker
              id="builder-arrow"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" className={styles.arrowHead} />
            </marker>
            <marker
              id="builder-arrow-lit"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" className={styles.arrowHeadLit} />
            </marker>
          </defs>
          {steps.flatMap((step) =>
            step.dependsOn.flatMap((dep) => {
              const from = boxes.get(dep);
              const to = boxes.get(step.id);
              if (!from || !to) return [];
              const lit = selectedId === step.id || selectedId === dep;
              return [
                <path
                  key={`${dep}>${step.id}`}
                  d={edgePath(from, to)}
                  className={styles.wire}
                  data-lit={lit || undefined}
                  data-testid="builder-edge"
                  data-from={dep}
                  data-to={step.id}
                  markerEnd={lit ? 'url(#builder-arrow-lit)' : 'url(#builder-arrow)'}
                />,
              ];
            }),
          )}
          {wire && source ? (
            <path
              d={edgePath(source, { x: wire.x, y: wire.y, width: 0, height: 0 })}
              className={`${styles.wire} ${styles.wireDraft}`}
            />
          ) : null}
        </svg>

        {steps.length === 0 ? (
          <p className={styles.canvasHint}>
            Drag agents here from the palette, or press <strong>Add</strong> next to one.
          </p>
        ) : null}

        {steps.map((raw) => {
          const step = placed(raw);
          const selected = selectedId === step.id;
          const target = connectFrom !== null && connectFrom !== step.id;
          return (
            <div
              key={step.id}
              className={styles.node}
              style={{ left: step.x, top: step.y, width: NODE.width, height: NODE.height }}
              data-step-id={step.id}
              data-testid="builder-node"
              data-selected={selected || undefined}
              data-source={connectFrom === step.id || undefined}
              data-target={target || undefined}
              data-invalid={invalid.has(step.id) || undefined}
              data-dragging={drag?.id === step.id && drag.moved ? true : undefined}
            >
              <button
                type="button"
                className={styles.nodeMain}
                aria-pressed={selected}
                aria-label={
                  target
                    ? `Make ${step.id} wait for ${connectFrom}`
                    : `${step.id}: ${nameOf(step.agent)}. Arrow keys move it.`
                }
                onPointerDown={(e) => {
                  if (e.button !== 0) return;
                  const p = point(e);
                  e.currentTarget.setPointerCapture(e.pointerId);
                  setDrag({ id: step.id, grabX: p.x - raw.x, grabY: p.y - raw.y, x: raw.x, y: raw.y, moved: false });
                }}
                onPointerMove={(e) => {
                  if (drag?.id !== step.id) return;
                  const p = point(e);
                  const x = Math.max(0, p.x - drag.grabX);
                  const y = Math.max(0, p.y - drag.grabY);
                  setDrag({ ...drag, x, y, moved: drag.moved || far(raw, x, y) });
                }}
                onPointerUp={() => {
                  if (drag?.id === step.id && drag.moved) {
                    send({ type: 'step.move', id: step.id, x: drag.x, y: drag.y });
                    swallowClick.current = true;
                  }
                  setDrag(null);
                }}
                onPointerCancel={() => setDrag(null)}
                onClick={() => {
                  if (swallowClick.current) {
                    swallowClick.current = false;
                    return;
                  }
                  if (target) send({ type: 'connect.complete', to: step.id });
                  else send({ type: 'step.select', id: step.id });
                }}
                onKeyDown={(e) => {
                  const by = e.shiftKey ? 4 : 16;
                  const moves: Record<string, [number, number]> = {
                    ArrowLeft: [-by, 0],
                    ArrowRight: [by, 0],
                    ArrowUp: [0, -by],
                    ArrowDown: [0, by],
                  };
                  const move = moves[e.key];
                  if (move) {
                    e.preventDefault();
                    send({ type: 'step.move', id: step.id, x: raw.x + move[0], y: raw.y + move[1] });
                  } else if (e.key === 'Delete') {
                    e.preventDefault();
                    send({ type: 'step.remove', id: step.id });
                  }
                }}
              >
                <span className={styles.nodeHead}>
                  <span className={styles.nodeAgent}>{nameOf(step.agent)}</span>
                  {step.id !== step.agent ? <span className={styles.nodeId}>{step.id}</span> : null}
                </span>
                <span className={styles.nodeInstruction} data-empty={!step.instruction.trim() || undefined}>
                  {step.instruction.trim() || 'No instruction yet'}
                </span>
                {step.question.trim() ? <span className={styles.nodeQuestion}>? {step.question}</span> : null}
              </button>
              <span className={styles.port} aria-hidden="true" />
              <button
                type="button"
                className={styles.handle}
                data-testid="connect-handle"
                aria-label={`Connect ${step.id} to a step that should wait for it`}
                title="Drag to the step that waits for this one"
                onPointerDown={(e) => {
                  if (e.button !== 0) return;
                  e.stopPropagation();
                  e.currentTarget.setPointerCapture(e.pointerId);
                  const p = point(e);
                  send({ type: 'connect.start', from: step.id });
                  setWire({ from: step.id, x: p.x, y: p.y, startX: p.x, startY: p.y, moved: false });
                }}
                onPointerMove={(e) => {
                  if (wire?.from !== step.id) return;
                  const p = point(e);
                  setWire({
                    ...wire,
                    x: p.x,
                    y: p.y,
                    moved: wire.moved || far({ x: wire.startX, y: wire.startY }, p.x, p.y),
                  });
                }}
                onPointerUp={(e) => {
                  if (wire?.from !== step.id) return;
                  setWire(null);
                  swallowClick.current = true;
                  // Without a drag, the handle was pressed: choose the step that waits with a click.
                  if (!wire.moved) return;
                  const under = document.elementFromPoint(e.clientX, e.clientY)?.closest<HTMLElement>('[data-step-id]');
                  const to = under?.dataset.stepId;
                  if (to && to !== step.id) send({ type: 'connect.complete', to });
                  else send({ type: 'connect.cancel' });
                }}
                onPointerCancel={() => {
                  setWire(null);
                  send({ type: 'connect.cancel' });
                }}
                onClick={() => {
                  if (swallowClick.current) {
                    swallowClick.current = false;
                    return;
                  }
                  send(connectFrom === step.id ? { type: 'connect.cancel' } : { type: 'connect.start', from: step.id });
                }}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
