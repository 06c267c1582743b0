import { describe, expect, it } from 'vitest';
import agentDefinition from './fixtures/agent.definition.json';
import workflowDefinition from './fixtures/workflow.definition.json';
import { knownEventless } from './known-machines';
import { type ChartState, parseDefinition, withEventless } from './statechart';
import { type ChartBox, arrowLabel, layoutChart } from './statechart-layout';

const workflow = withEventless(parseDefinition(workflowDefinition) as ChartState, knownEventless('workflow'));
const agent = withEventless(parseDefinition(agentDefinition) as ChartState, knownEventless('agent'));

const inside = (outer: ChartBox, inner: ChartBox) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;
const overlap = (a: ChartBox, b: ChartBox) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('layoutChart', () => {
  it('draws a box for every state, each inside its parent, siblings apart', () => {
    for (const chart of [workflow, agent]) {
      const layout = layoutChart(chart);
      const parentOf = new Map<string, string>();
      const walk = (node: ChartState) => {
        for (const child of node.children) {
          parentOf.set(child.id, node.id);
          walk(child);
        }
      };
      walk(chart);
      for (const [child, parent] of parentOf) {
        expect(inside(layout.boxes.get(parent) as ChartBox, layout.boxes.get(child) as ChartBox)).toBe(true);
      }
      const siblings = [...parentOf.entries()];
      for (const [a, pa] of siblings) {
        for (const [b, pb] of siblings) {
          if (a < b && pa === pb) {
            expect(overlap(layout.boxes.get(a) as ChartBox, layout.boxes.get(b) as ChartBox), `${a} / ${b}`).toBe(
              false,
            );
          }
        }
      }
      const root = layout.boxes.get(chart.id) as ChartBox;
      expect(layout.width).toBeGreaterThanOrEqual(root.x + root.width);
      expect(layout.height).toBeGreaterThanOrEqual(root.y + root.height);
    }
  });

  it('puts states left to right along the main path of the workflow', () => {
    const layout = layoutChart(workflow);
    // The middle of a state's column.
    const x = (key: string) => {
      const box = layout.boxes.get(`workflow.${key}`);
      return box ? box.x + box.width / 2 : Number.NaN;
    };
    expect(x('planning')).toBeLessThan(x('predicting'));
    expect(x('predicting')).toBeLessThan(x('assigning'));
    expect(x('assigning')).toBeLessThan(x('running'));
    expect(x('running')).toBeLessThan(x('reconciling'));
    expect(x('reconciling')).toBeLessThan(x('completed'));
    expect(x('reconciling')).toBeLessThan(x('awaitingHuman'));
    // Reached only from the machine's own `workflow.cancel`: with the other final states.
    expect(x('cancelled')).toBe(x('failed'));
    expect(x('cancelled')).toBeGreaterThan(x('reconciling'));
  });

  it('draws one labelled arrow per source and target, joining their events', () => {
    const layout = layoutChart(workflow);
    const arrow = (from: string, to: string) => layout.arrows.find((a) => a.key === `workflow.${from}>workflow.${to}`);
    expect(arrow('awaitingHuman', 'reconciling')?.label).toBe('conflict.decide');
    expect(arrow('awaitingHuman', 'reconciling')?.transitions[0]?.guard).toBe('decidesEscalated');
    expect(arrow('assigning', 'running')?.label).toBe('always');
    expect(arrow('planning', 'failed')?.label).toBe('error: planning');
    expect(layout.arrows.find((a) => a.key === 'workflow>workflow.cancelled')?.label).toBe('workflow.cancel');
    for (const a of layout.arrows) {
      expect(a.path).toMatch(/^M-?[\d.]+,-?[\d.]+ [CHV]/);
      expect(Number.isFinite(a.labelX) && Number.isFinite(a.labelY)).toBe(true);
    }
  });

  it('curves into the next column, and runs longer and backward transitions in lanes of their own', () => {
    const layout = layoutChart(workflow);
    const path = (from: string, to: string) =>
      layout.arrows.find((a) => a.key === `workflow.${from}>workflow.${to}`)?.path ?? '';
    expect(path('planning', 'predicting')).toContain(' C');
    const back = path('awaitingHuman', 'reconciling');
    const long = path('planning', 'failed');
    expect(back).toContain(' H');
    expect(long).toContain(' H');
    // Separate lanes: their horizontal runs are at different heights, under every state.
    const laneY = (p: string) => Number(/ V(-?[\d.]+) H/.exec(p)?.[1]);
    expect(laneY(back)).not.toBe(laneY(long));
    const lowest = Math.max(...[...layout.boxes.values()].filter((b) => b.depth === 1).map((b) => b.y + b.height));
    expect(Math.min(laneY(back), laneY(long))).toBeGreaterThan(lowest);
  });

  it('makes the gap after a column wide enough for the labels of its curves', () => {
    const layout = layoutChart(workflow);
    for (const a of layout.arrows.filter((x) => x.path.includes(' C') && x.source !== x.target)) {
      const from = layout.boxes.get(a.source) as ChartBox;
      const to = layout.boxes.get(a.target) as ChartBox;
      if (to.x <= from.x + from.width) continue;
      expect(to.x - (from.x + from.width), a.key).toBeGreaterThanOrEqual(a.labelWidth);
    }
  });

  it('is deterministic', () => {
    const a = layoutChart(agent);
    const b = layoutChart(agent);
    expect([...a.boxes.values()].map(({ state, ...box }) => box)).toEqual(
      [...b.boxes.values()].map(({ state, ...box }) => box),
    );
    expect(a.arrows).toEqual(b.arrows);
  });
});

describe('arrowLabel', () => {
  it('joins the events of one arrow, sharing what they are about', () => {
    const label = (...labels: string[]) => arrowLabel(labels.map((l) => ({ label: l })));
    expect(label('done: predicting', 'error: predicting')).toBe('done, error: predicting');
    expect(label('done: planning', 'always')).toBe('done: planning, always');
    expect(label('a', 'b', 'c', 'a')).toBe('a, b +1');
  });
});
