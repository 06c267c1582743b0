/**
 * Lays a workflow's DAG out in layers: a step's layer is the length of the longest dependency chain
 * before it, so every edge points forward. Inside a layer, steps are ordered by the mean position of
 * their neighbours (a few barycentre sweeps) to keep edges from crossing. Pure and deterministic.
 */

export interface DagInput {
  id: string;
  dependsOn: readonly string[];
}

/** `right`: layers are columns, edges run left to right; `down`: layers are rows (narrow screens). */
export type DagDirection = 'right' | 'down';

export interface DagLayoutOptions {
  direction?: DagDirection;
  /** @default 200 */
  nodeWidth?: number;
  /** @default 84 */
  nodeHeight?: number;
  /** Space between layers. @default 64 */
  layerGap?: number;
  /** Space between steps of one layer. @default 20 */
  nodeGap?: number;
  /** Around the whole drawing. @default 16 */
  padding?: number;
}

export interface DagNode {
  id: string;
  layer: number;
  /** Position inside its layer. */
  order: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DagEdge {
  from: string;
  to: string;
  /** An SVG path from the dependency to the step that waits for it. */
  path: string;
}

export interface DagLayout {
  nodes: DagNode[];
  edges: DagEdge[];
  width: number;
  height: number;
  layers: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Each step's layer: 0 without (known) dependencies, else one more than its deepest dependency.
 * Unknown dependencies are ignored, and an edge that closes a cycle is treated as absent.
 */
export function dagDepths(steps: readonly DagInput[]): Map<string, number> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return -1;
    visiting.add(id);
    let d = 0;
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(dep) || dep === id) continue;
      const before = visit(dep);
      if (before >= 0) d = Math.max(d, before + 1);
    }
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  for (const step of steps) visit(step.id);
  return depth;
}

const mean = (values: number[]): number | null =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;

/** Reorders each layer by the barycentre of its neighbours in the layer before (or after). */
function sweep(layers: string[][], neighbours: Map<string, string[]>, forward: boolean) {
  const range = forward
    ? layers.map((_, i) => i).slice(1)
    : layers
        .map((_, i) => i)
        .reverse()
        .slice(1);
  for (const i of range) {
    const reference = layers[forward ? i - 1 : i + 1] ?? [];
    const position = new Map(reference.map((id, index) => [id, index]));
    const layer = layers[i] ?? [];
    const keyed = layer.map((id, index) => {
      const around = (neighbours.get(id) ?? []).flatMap((n) => {
        const at = position.get(n);
        return at === undefined ? [] : [at];
      });
      return { id, index, key: mean(around) ?? index };
    });
    keyed.sort((a, b) => a.key - b.key || a.index - b.index);
    layers[i] = keyed.map((k) => k.id);
  }
}

/** The edge between two boxes: a smooth curve from the dependency's far side to the step's near side. */
export function edgePath(from: Box, to: Box, direction: DagDirection = 'right'): string {
  if (direction === 'down') {
    const x1 = from.x + from.width / 2;
    const y1 = from.y + from.height;
    const x2 = to.x + to.width / 2;
    const y2 = to.y;
    const bend = Math.max(24, Math.abs(y2 - y1) / 2);
    return `M${r(x1)},${r(y1)} C${r(x1)},${r(y1 + bend)} ${r(x2)},${r(y2 - bend)} ${r(x2)},${r(y2)}`;
  }
  const x1 = from.x + from.width;
  const y1 = from.y + from.height / 2;
  const x2 = to.x;
  const y2 = to.y + to.height / 2;
  const bend = Math.max(24, Math.abs(x2 - x1) / 2);
  return `M${r(x1)},${r(y1)} C${r(x1 + bend)},${r(y1)} ${r(x2 - bend)},${r(y2)} ${r(x2)},${r(y2)}`;
}

const r = (n: number) => Math.round(n * 10) / 10;

export function layoutDag(steps: readonly DagInput[], options: DagLayoutOptions = {}): DagLayout {
  const direction = options.direction ?? 'right';
  const nodeWidth = options.nodeWidth ?? 200;
  const nodeHeight = options.nodeHeight ?? 84;
  const layerGap = options.layerGap ?? 64;
  const nodeGap = options.nodeGap ?? 20;
  const padding = options.padding ?? 16;

  const depths = dagDepths(steps);
  const layerCount = steps.length === 0 ? 0 : Math.max(...depths.values()) + 1;
  const layers: string[][] = Array.from({ length: layerCount }, () => []);
  for (const step of steps) layers[depths.get(step.id) ?? 0]?.push(step.id);

  const ids = new Set(steps.map((s) => s.id));
  const before = new Map<string, string[]>();
  const after = new Map<string, string[]>();
  for (const step of steps) {
    const deps = [...new Set(step.dependsOn)].filter((d) => ids.has(d) && d !== step.id);
    before.set(step.id, deps);
    for (const dep of deps) after.set(dep, [...(after.get(dep) ?? []), step.id]);
  }
  for (let pass = 0; pass < 4; pass++) sweep(layers, pass % 2 === 0 ? before : after, pass % 2 === 0);

  // Along a layer steps are `across` apart; layers are `along` apart.
  const across = direction === 'right' ? nodeHeight + nodeGap : nodeWidth + nodeGap;
  const along = direction === 'right' ? nodeWidth + layerGap : nodeHeight + layerGap;
  const widest = Math.max(0, ...layers.map((l) => l.length));
  const nodes: DagNode[] = [];
  layers.forEach((layer, li) => {
    const offset = ((widest - layer.length) * across) / 2;
    layer.forEach((id, order) => {
      const a = padding + li * along;
      const b = padding + offset + order * across;
      nodes.push({
        id,
        layer: li,
        order,
        x: direction === 'right' ? a : b,
        y: direction === 'right' ? b : a,
        width: nodeWidth,
        height: nodeHeight,
      });
    });
  });

  const at = new Map(nodes.map((n) => [n.id, n]));
  const edges: DagEdge[] = [];
  for (const step of steps) {
    const to = at.get(step.id);
    for (const dep of before.get(step.id) ?? []) {
      const from = at.get(dep);
      if (from && to) edges.push({ from: dep, to: step.id, path: edgePath(from, to, direction) });
    }
  }

  const spanAlong = layerCount === 0 ? 0 : layerCount * along - layerGap;
  const spanAcross = widest === 0 ? 0 : widest * across - nodeGap;
  return {
    nodes,
    edges,
    width: 2 * padding + (direction === 'right' ? spanAlong : spanAcross),
    height: 2 * padding + (direction === 'right' ? spanAcross : spanAlong),
    layers: layerCount,
  };
}
