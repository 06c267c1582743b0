'use client';

import { useEffect, useMemo, useRef } from 'react';
import { describeValue, type ChartState } from './statechart';
import { labelCentre, layoutChart } from './statechart-layout';
import styles from './inspector.module.css';

/**
 * A machine drawn from its definition: nested states as boxes, transitions as labelled arrows, the
 * active states lit. Arrows leaving an active state (what can happen next) are lit too.
 */
export function StatechartView({
  chart,
  active,
  value,
}: {
  chart: ChartState;
  active: ReadonlySet<string>;
  value: unknown;
}) {
  const layout = useMemo(() => layoutChart(chart), [chart]);
  const scroller = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  // The deepest active state: keep it in view when the chart is wider than the page.
  const focus = [...layout.boxes.values()].filter((b) => active.has(b.id)).sort((a, b) => b.depth - a.depth)[0];
  useEffect(() => {
    const box = scroller.current;
    if (!box || !svg.current || !focus) return;
    const scale = svg.current.clientWidth / layout.width;
    const left = focus.x * scale;
    const right = (focus.x + focus.width) * scale;
    if (left < box.scrollLeft || right > box.scrollLeft + box.clientWidth) {
      box.scrollLeft = Math.max(0, (left + right) / 2 - box.clientWidth / 2);
    }
  }, [focus, layout.width]);
  const boxes = [...layout.boxes.values()].sort((a, b) => a.depth - b.depth);
  const initialOf = (id: string) => {
    const box = layout.boxes.get(id);
    const child = box?.state.children.find((c) => c.key === box.state.initial);
    return child ? layout.boxes.get(child.id) : undefined;
  };
  return (
    <div className={styles.chartScroller} ref={scroller}>
      <svg
        ref={svg}
        className={styles.chart}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        // Natural size, shrunk at most a little to fit; wider charts scroll.
        style={{ maxWidth: layout.width, minWidth: Math.min(layout.width, Math.max(620, layout.width * 0.9)) }}
        role="img"
        aria-label={`Statechart of ${chart.key}; active: ${describeValue(value) || 'none'}`}
        data-testid="statechart"
      >
        <defs>
          {['arrow', 'arrow-lit'].map((id) => (
            <marker
              key={id}
              id={`chart-${id}`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" className={id === 'arrow' ? styles.chartHead : styles.chartHeadLit} />
            </marker>
          ))}
        </defs>
        {boxes.map((box) => {
          const lit = active.has(box.id);
          const leaf = box.state.children.length === 0;
          const initial = initialOf(box.id);
          return (
            <g
              key={box.id}
              className={styles.state}
              data-state-id={box.id}
              data-testid="chart-state"
              data-active={lit || undefined}
              data-leaf={leaf || undefined}
              data-type={box.state.type}
            >
              <rect
                className={styles.stateBox}
                x={box.x}
                y={box.y}
                width={box.width}
                height={box.height}
                rx={leaf ? 10 : 12}
              />
              {box.state.type === 'final' ? (
                <rect
                  className={styles.finalRing}
                  x={box.x + 3}
                  y={box.y + 3}
                  width={box.width - 6}
                  height={box.height - 6}
                  rx={8}
                />
              ) : null}
              <text
                className={styles.stateLabel}
                x={box.x + (leaf ? box.width / 2 : 12)}
                y={box.y + (leaf ? 24 : 19)}
                textAnchor={leaf ? 'middle' : 'start'}
              >
                {box.state.key}
              </text>
              {box.state.invokes.map((src, i) => (
                <text
                  key={src}
                  className={styles.invoke}
                  x={box.x + (leaf ? box.width / 2 : 12)}
                  y={box.y + (leaf ? 38 : 33) + i * 12}
                  textAnchor={leaf ? 'middle' : 'start'}
                >
                  ▸ {src}
                </text>
              ))}
              {initial ? (
                <>
                  <circle className={styles.initialDot} cx={initial.x - 16} cy={initial.y + 12} r={4} />
                  <path
                    className={styles.initialLine}
                    d={`M${initial.x - 12},${initial.y + 12} L${initial.x - 1},${initial.y + 12}`}
                  />
                </>
              ) : null}
              <title>{`${box.state.id} (${box.state.type})`}</title>
            </g>
          );
        })}
        {layout.arrows.map((arrow) => {
          const lit = active.has(arrow.source) && arrow.source !== chart.id;
          const width = arrow.labelWidth;
          const cx = labelCentre(arrow);
          return (
            <g key={arrow.key} className={styles.transition} data-lit={lit || undefined}>
              <path
                className={styles.transitionPath}
                d={arrow.path}
                markerEnd={lit ? 'url(#chart-arrow-lit)' : 'url(#chart-arrow)'}
              />
              <rect
                className={styles.labelBack}
                x={cx - width / 2}
                y={arrow.labelY - 8}
                width={width}
                height={15}
                rx={3}
              />
              <text className={styles.labelText} x={cx} y={arrow.labelY + 3} textAnchor="middle">
                {arrow.label}
              </text>
              <title>
                {arrow.transitions.map((t) => `${t.event || 'always'}${t.guard ? ` [${t.guard}]` : ''}`).join('\n')}
              </title>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
