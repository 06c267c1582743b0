/**
 * A deterministic drawing of a statechart: states as boxes nested in their parents, siblings in
 * columns by the longest chain of transitions from the initial state (so most arrows run left to
 * right). A transition to the next column is a curve with its label in the gap, which is made wide
 * enough for it; any other (longer, backwards, within a column) runs in its own lane under the
 * states of the parent they share. Pure: the same chart always gives the same drawing.
 */
import { dagDepths } from '@/features/workflows/dag-layout';
import { type ChartState, type ChartTransition, allStates } from './statechart';

export interface ChartBox {
  id: string;
  state: ChartState;
  x: number;
  y: number;
  width: number;
  height: number;
  /** 0 for the machine itself. */
  depth: number;
}

export interface ChartArrow {
  key: string;
  source: string;
  target: string;
  /** The transitions this arrow stands for (same source and target). */
  transitions: ChartTransition[];
  label: string;
  path: string;
  labelX: number;
  labelY: number;
  labelAnchor: 'middle' | 'end';
  /** Approximate width of the label, for its backdrop. */
  labelWidth: number;
}

/** The middle of an arrow's label: centred on its anchor point, or ending just before it. */
export function labelCentre(arrow: Pick<ChartArrow, 'labelX' | 'labelWidth'> & { labelAnchor: 'middle' | 'end' }) {
  return arrow.labelAnchor === 'end' ? arrow.labelX - arrow.labelWidth / 2 - 4 : arrow.labelX;
}

export interface ChartLayout {
  boxes: Map<string, ChartBox>;
  arrows: ChartArrow[];
  width: number;
  height: number;
}

const LEAF_H = 40;
const INVOKE_H = 14;
const HEADER = 28;
const PAD = 14;
const MIN_GAP = 40;
const ROW_GAP = 22;
const LANE_H = 20;
const CHAR = 7.2;
/** Label text is 11px: about this wide per character. */
export const LABEL_CHAR = 6.2;

const r = (n: number) => Math.round(n * 10) / 10;

/** Every state's path from the root (ids), to find where two states meet. */
function ancestry(root: ChartState): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const walk = (node: ChartState, path: string[]) => {
    const here = [...path, node.id];
    paths.set(node.id, here);
    for (const child of node.children) walk(child, here);
  };
  walk(root, []);
  return paths;
}

/** Where a transition runs: inside `parent`, from its child `from` to its child `to`; or nested. */
type Span = { kind: 'siblings'; parent: string; from: string; to: string } | { kind: 'nested' };

function spanOf(paths: Map<string, string[]>, source: string, target: string): Span {
  const a = paths.get(source) ?? [];
  const b = paths.get(target) ?? [];
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  if (common === a.length || common === b.length || common === 0) return { kind: 'nested' };
  return { kind: 'siblings', parent: a[common - 1] as string, from: a[common] as string, to: b[common] as string };
}

/** Columns of a compound state's children: longest path from the initial child, back edges ignored. */
function columns(node: ChartState, paths: Map<string, string[]>, transitions: ChartTransition[]): string[][] {
  const ids = node.children.map((c) => c.id);
  if (node.type === 'parallel') return [ids];
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const t of transitions) {
    for (const target of t.targets) {
      const span = spanOf(paths, t.source, target);
      if (span.kind === 'siblings' && span.parent === node.id && !next.get(span.from)?.includes(span.to)) {
        next.get(span.from)?.push(span.to);
      }
    }
  }
  // Depth-first from the initial child (then any other), dropping edges back into the current path.
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const to of next.get(id) ?? []) {
      if (state.get(to) === 'open') continue;
      preds.get(to)?.push(id);
      if (!state.has(to)) visit(to);
    }
    state.set(id, 'done');
  };
  const initial = node.children.find((c) => c.key === node.initial)?.id;
  if (initial) visit(initial);
  const reached = new Set(state.keys());
  for (const id of ids) if (!state.has(id)) visit(id);
  const depths = dagDepths(ids.map((id) => ({ id, dependsOn: preds.get(id) ?? [] })));
  const last = Math.max(0, ...depths.values());
  const cols: string[][] = [];
  for (const child of node.children) {
    // A final state nothing inside leads to (reached from the parent's own events) ends the row.
    const orphan = initial !== undefined && !reached.has(child.id) && (preds.get(child.id)?.length ?? 0) === 0;
    const col = orphan && child.type === 'final' ? last : (depths.get(child.id) ?? 0);
    cols[col] = [...(cols[col] ?? []), child.id];
  }
  return cols.filter((c) => c && c.length > 0);
}

/**
 * One label for the transitions of an arrow: `done: predicting` and `error: predicting` become
 * `done, error: predicting`; more than two become `a, b +1`.
 */
export function arrowLabel(transitions: readonly Pick<ChartTransition, 'label'>[]): string {
  const bySubject = new Map<string, string[]>();
  for (const { label } of transitions) {
    const match = /^(\w+): (.+)$/.exec(label);
    const [head, subject] = match ? [match[1] as string, match[2] as string] : [label, ''];
    const heads = bySubject.get(subject) ?? [];
    if (!heads.includes(head)) heads.push(head);
    bySubject.set(subject, heads);
  }
  const labels = [...bySubject].flatMap(([subject, heads]) => (subject ? [`${heads.join(', ')}: ${subject}`] : heads));
  return labels.length > 2 ? `${labels.slice(0, 2).join(', ')} +${labels.length - 2}` : labels.join(', ');
}

const labelOf = arrowLabel;

interface Plan {
  /** Per compound state: the column of each child. */
  columnOf: Map<string, number>;
  columns: Map<string, string[][]>;
  /** Per compound state and column: the widest label of a curve leaving that column. */
  gapNeed: Map<string, number[]>;
  /** Per compound state: how many lanes run under its children. */
  lanes: Map<string, number>;
  /** Per arrow: its lane (in the parent of its span), or `null` for a curve. */
  laneOf: Map<string, number | null>;
  grouped: Map<string, ChartTransition[]>;
}

function planArrows(root: ChartState, paths: Map<string, string[]>): Plan {
  const transitions = allStates(root).flatMap((s) => s.transitions);
  const columnsById = new Map<string, string[][]>();
  const columnOf = new Map<string, number>();
  for (const node of allStates(root)) {
    if (node.children.length === 0) continue;
    const cols = columns(node, paths, transitions);
    columnsById.set(node.id, cols);
    cols.forEach((col, i) => {
      for (const id of col) columnOf.set(id, i);
    });
  }
  const grouped = new Map<string, ChartTransition[]>();
  for (const t of transitions) {
    for (const target of t.targets) {
      if (!paths.has(target)) continue;
      const key = `${t.source}>${target}`;
      grouped.set(key, [...(grouped.get(key) ?? []), t]);
    }
  }
  const gapNeed = new Map<string, number[]>();
  const lanes = new Map<string, number>();
  const laneOf = new Map<string, number | null>();
  for (const [key, list] of grouped) {
    const [source, target] = key.split('>') as [string, string];
    const span = spanOf(paths, source, target);
    if (span.kind === 'nested') {
      laneOf.set(key, null);
      continue;
    }
    const from = columnOf.get(span.from) ?? 0;
    const to = columnOf.get(span.to) ?? 0;
    if (to === from + 1) {
      const need = gapNeed.get(span.parent) ?? [];
      need[from] = Math.max(need[from] ?? 0, labelOf(list).length * LABEL_CHAR);
      gapNeed.set(span.parent, need);
      laneOf.set(key, null);
    } else {
      const lane = lanes.get(span.parent) ?? 0;
      lanes.set(span.parent, lane + 1);
      laneOf.set(key, lane);
    }
  }
  return { columnOf, columns: columnsById, gapNeed, lanes, laneOf, grouped };
}

interface Sized {
  state: ChartState;
  width: number;
  height: number;
  /** Where the lanes under the children start, from the box's top. */
  laneTop: number;
  children: { sized: Sized; x: number; y: number }[];
}

function size(node: ChartState, plan: Plan): Sized {
  const labelWidth = Math.max(node.key.length, ...node.invokes.map((i) => i.length + 3)) * CHAR + 28;
  if (node.children.length === 0) {
    const width = Math.max(96, labelWidth);
    const height = LEAF_H + (node.invokes.length > 0 ? INVOKE_H : 0);
    return { state: node, width, height, laneTop: height, children: [] };
  }
  const sizedById = new Map(node.children.map((c) => [c.id, size(c, plan)]));
  const cols = (plan.columns.get(node.id) ?? []).map((col) => col.map((id) => sizedById.get(id) as Sized));
  const colWidths = cols.map((col) => Math.max(...col.map((s) => s.width)));
  const colHeights = cols.map((col) => col.reduce((h, s) => h + s.height, 0) + (col.length - 1) * ROW_GAP);
  const need = plan.gapNeed.get(node.id) ?? [];
  const inner = Math.max(0, ...colHeights);
  const top = HEADER + (node.invokes.length > 0 ? INVOKE_H : 0) + 6;
  const children: Sized['children'] = [];
  let x = PAD;
  cols.forEach((col, i) => {
    let y = top + (inner - (colHeights[i] ?? 0)) / 2;
    for (const sized of col) {
      children.push({ sized, x: x + ((colWidths[i] ?? 0) - sized.width) / 2, y });
      y += sized.height + ROW_GAP;
    }
    x += (colWidths[i] ?? 0) + Math.max(MIN_GAP, (need[i] ?? 0) + 20);
  });
  const lastGap = Math.max(MIN_GAP, (need[cols.length - 1] ?? 0) + 20);
  const lanes = plan.lanes.get(node.id) ?? 0;
  const laneTop = top + inner + 12;
  return {
    state: node,
    width: Math.max(labelWidth, x - lastGap + PAD + (lanes > 0 ? 16 : 0)),
    height: laneTop + lanes * LANE_H + PAD - 4,
    laneTop,
    children,
  };
}

interface Routed {
  path: string;
  x: number;
  y: number;
  /** Where the label sits against (x, y): centred on it, or ending at it. */
  anchor?: 'middle' | 'end';
  /** A curve's control points. */
  points?: [Point, Point, Point, Point];
}

type Point = [number, number];

function curve(p0: Point, p1: Point, p2: Point, p3: Point): Routed {
  const mid = (i: 0 | 1) => (p0[i] + 3 * p1[i] + 3 * p2[i] + p3[i]) / 8;
  return {
    path: `M${r(p0[0])},${r(p0[1])} C${r(p1[0])},${r(p1[1])} ${r(p2[0])},${r(p2[1])} ${r(p3[0])},${r(p3[1])}`,
    x: r(mid(0)),
    y: r(mid(1)),
    points: [p0, p1, p2, p3],
  };
}

/** The point of a cubic curve whose x is nearest `x` (sampled: the curves are gentle). */
function pointNearX([p0, p1, p2, p3]: [Point, Point, Point, Point], x: number): Point {
  let best: Point = p0;
  for (let i = 0; i <= 40; i++) {
    const t = i / 40;
    const u = 1 - t;
    const at = (k: 0 | 1) => u * u * u * p0[k] + 3 * u * u * t * p1[k] + 3 * u * t * t * p2[k] + t * t * t * p3[k];
    const point: Point = [at(0), at(1)];
    if (Math.abs(point[0] - x) < Math.abs(best[0] - x)) best = point;
  }
  return best;
}

/** A transition to the next column, into a child state, or back to itself. */
function direct(from: ChartBox, to: ChartBox): Routed {
  if (from.id === to.id) {
    const x = from.x + from.width - 20;
    return curve([x - 10, from.y], [x - 16, from.y - 26], [x + 16, from.y - 26], [x + 10, from.y]);
  }
  const within = to.x >= from.x && to.x + to.width <= from.x + from.width && to.y >= from.y;
  if (within) {
    // A parent's own event into one of its states: from its header row, down beside the state, in.
    const x = to.x + to.width + 8;
    const y0 = from.y + HEADER / 2 + 2;
    const y1 = to.y + to.height / 2;
    return { path: `M${r(x)},${r(y0)} V${r(y1)} H${r(to.x + to.width)}`, x: r(x), y: r(y0), anchor: 'end' };
  }
  const p0: [number, number] = [from.x + from.width, from.y + from.height / 2];
  const p3: [number, number] = [to.x, to.y + to.height / 2];
  const bend = Math.max(20, Math.abs(p3[0] - p0[0]) / 2);
  return curve(p0, [p0[0] + bend, p0[1]], [p3[0] - bend, p3[1]], p3);
}

/** Out of the source's right side, along a lane under the states, into the target's left side. */
function laned(from: ChartBox, to: ChartBox, laneY: number, lane: number): Routed {
  const out = from.x + from.width + 10 + (lane % 4) * 4;
  const into = to.x - 10 - (lane % 4) * 4;
  const y0 = from.y + from.height / 2;
  const y1 = to.y + to.height / 2;
  return {
    path: `M${r(from.x + from.width)},${r(y0)} H${r(out)} V${r(laneY)} H${r(into)} V${r(y1)} H${r(to.x)}`,
    x: r((out + into) / 2),
    y: r(laneY),
  };
}

/** Lays the chart out with `margin` around the machine's box. */
export function layoutChart(root: ChartState, margin = 12): ChartLayout {
  const paths = ancestry(root);
  const plan = planArrows(root, paths);
  const boxes = new Map<string, ChartBox>();
  const laneTops = new Map<string, number>();
  const place = (sized: Sized, x: number, y: number, depth: number) => {
    const { state, width, height } = sized;
    boxes.set(state.id, { id: state.id, state, x, y, width, height, depth });
    laneTops.set(state.id, y + sized.laneTop);
    for (const child of sized.children) place(child.sized, x + child.x, y + child.y, depth + 1);
  };
  const sized = size(root, plan);
  place(sized, margin, margin + 14, 0);

  const arrows: ChartArrow[] = [];
  for (const [key, transitions] of plan.grouped) {
    const [source, target] = key.split('>') as [string, string];
    const from = boxes.get(source);
    const to = boxes.get(target);
    if (!from || !to) continue;
    const lane = plan.laneOf.get(key) ?? null;
    const span = spanOf(paths, source, target);
    const routed =
      lane !== null && span.kind === 'siblings'
        ? laned(from, to, (laneTops.get(span.parent) ?? 0) + lane * LANE_H + LANE_H / 2, lane)
        : direct(from, to);
    // A curve out of (or into) a nested state: its label goes in the gap made for it between the columns.
    const a = span.kind === 'siblings' ? boxes.get(span.from) : undefined;
    const b = span.kind === 'siblings' ? boxes.get(span.to) : undefined;
    if (lane === null && routed.points && a && b && (a.id !== source || b.id !== target) && b.x > a.x + a.width) {
      const [x, y] = pointNearX(routed.points, (a.x + a.width + b.x) / 2);
      routed.x = r(x);
      routed.y = r(y);
    }
    const label = labelOf(transitions);
    arrows.push({
      key,
      source,
      target,
      transitions,
      label,
      path: routed.path,
      labelX: routed.x,
      labelY: routed.y,
      labelAnchor: routed.anchor ?? 'middle',
      labelWidth: r(label.length * LABEL_CHAR + 8),
    });
  }

  let width = sized.width + 2 * margin;
  let height = sized.height + 2 * margin + 14;
  for (const a of arrows) {
    width = Math.max(width, labelCentre(a) + a.labelWidth / 2 + margin);
    height = Math.max(height, a.labelY + 10 + margin);
  }
  return { boxes, arrows, width: Math.ceil(width), height: Math.ceil(height) };
}
