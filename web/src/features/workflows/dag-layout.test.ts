import { describe, expect, it } from 'vitest';
import { dagDepths, edgePath, layoutDag } from './dag-layout';

const chain = [
  { id: 'code', dependsOn: [] },
  { id: 'test', dependsOn: ['code'] },
  { id: 'deploy', dependsOn: ['test'] },
];

const diamond = [
  { id: 'design', dependsOn: [] },
  { id: 'security', dependsOn: ['design'] },
  { id: 'performance', dependsOn: ['design'] },
  { id: 'docs', dependsOn: ['security', 'performance'] },
];

describe('dagDepths', () => {
  it('puts a step one layer after its deepest dependency', () => {
    const depths = dagDepths([...diamond, { id: 'late', dependsOn: ['design', 'docs'] }]);
    expect(Object.fromEntries(depths)).toEqual({ design: 0, security: 1, performance: 1, docs: 2, late: 3 });
  });

  it('ignores unknown dependencies and the edge that closes a cycle', () => {
    const depths = dagDepths([
      { id: 'a', dependsOn: ['ghost', 'c'] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'c', dependsOn: ['b'] },
    ]);
    expect([...depths.keys()].sort()).toEqual(['a', 'b', 'c']);
    for (const d of depths.values()) expect(d).toBeGreaterThanOrEqual(0);
    // Of the three edges of the cycle, exactly one (the one that closes it) does not point forward.
    const d = (id: string) => depths.get(id) ?? 0;
    const forward = [d('a') > d('c'), d('b') > d('a'), d('c') > d('b')].filter(Boolean);
    expect(forward).toHaveLength(2);
  });
});

describe('layoutDag', () => {
  it('lays a chain out as one column per step, left to right', () => {
    const layout = layoutDag(chain, { nodeWidth: 100, nodeHeight: 40, layerGap: 50, nodeGap: 10, padding: 5 });
    expect(layout.layers).toBe(3);
    expect(layout.nodes.map((n) => [n.id, n.x, n.y])).toEqual([
      ['code', 5, 5],
      ['test', 155, 5],
      ['deploy', 305, 5],
    ]);
    expect(layout.width).toBe(5 + 3 * 100 + 2 * 50 + 5);
    expect(layout.height).toBe(5 + 40 + 5);
  });

  it('stacks parallel steps in one layer and centres the narrower layers', () => {
    const layout = layoutDag(diamond, { nodeWidth: 100, nodeHeight: 40, layerGap: 50, nodeGap: 10, padding: 0 });
    const at = Object.fromEntries(layout.nodes.map((n) => [n.id, n]));
    expect(at.security?.layer).toBe(1);
    expect(at.performance?.layer).toBe(1);
    expect(at.security?.x).toBe(at.performance?.x);
    expect(Math.abs((at.security?.y ?? 0) - (at.performance?.y ?? 0))).toBe(50);
    // The single steps sit halfway between the two parallel ones.
    expect(at.design?.y).toBe(25);
    expect(at.docs?.y).toBe(25);
    expect(layout.height).toBe(90);
  });

  it('draws one edge per dependency, from the dependency to the step', () => {
    const layout = layoutDag(diamond);
    expect(layout.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual([
      'design>performance',
      'design>security',
      'performance>docs',
      'security>docs',
    ]);
    for (const edge of layout.edges) expect(edge.path).toMatch(/^M[\d.]+,[\d.]+ C/);
  });

  it('orders a layer by its dependencies to avoid crossing edges', () => {
    // b2 depends on a2 and b1 on a1, but they are listed the other way round.
    const layout = layoutDag([
      { id: 'a1', dependsOn: [] },
      { id: 'a2', dependsOn: [] },
      { id: 'b2', dependsOn: ['a2'] },
      { id: 'b1', dependsOn: ['a1'] },
    ]);
    const order = Object.fromEntries(layout.nodes.map((n) => [n.id, n.order]));
    expect(order.b1).toBe(order.a1);
    expect(order.b2).toBe(order.a2);
  });

  it('turns layers into rows when laid out downwards', () => {
    const layout = layoutDag(chain, { direction: 'down', nodeWidth: 100, nodeHeight: 40, layerGap: 20, padding: 0 });
    expect(layout.nodes.map((n) => [n.x, n.y])).toEqual([
      [0, 0],
      [0, 60],
      [0, 120],
    ]);
    expect(layout.edges[0]?.path.startsWith('M50,40 C')).toBe(true);
  });

  it('lays out nothing as an empty drawing', () => {
    expect(layoutDag([])).toMatchObject({ nodes: [], edges: [], layers: 0 });
  });
});

describe('edgePath', () => {
  it('runs from the right middle of the dependency to the left middle of the step', () => {
    const path = edgePath({ x: 0, y: 0, width: 10, height: 10 }, { x: 110, y: 20, width: 10, height: 10 });
    expect(path).toBe('M10,5 C60,5 60,25 110,25');
  });
});
