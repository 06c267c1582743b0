/**
 * The builder's graph and every change to it, as pure functions over an array of steps: add, move,
 * connect (refusing cycles), validate, and convert to and from a saved template (`PlanInput` plus
 * the canvas positions). The builder machine holds the array; these decide what it becomes.
 */
import { layoutDag } from '@/features/workflows/dag-layout';
import type { NodePositionInput, PlanInput, PlanStep, WorkflowTemplate } from '@/lib/graphql/schema-types';

export interface BuilderStep {
  id: string;
  agent: string;
  instruction: string;
  /** Steps sharing a question answer it independently; differing answers become a conflict. */
  question: string;
  /** Steps this one waits for. */
  dependsOn: string[];
  /** Top-left corner on the canvas. */
  x: number;
  y: number;
}

/** The size of a node on the canvas (the layout and the drawing agree on it). */
export const NODE = { width: 200, height: 88 } as const;
const GAP = { x: 64, y: 28 } as const;
const MARGIN = 24;

export interface Problem {
  /** The step it is about, or `null` for the whole graph. */
  stepId: string | null;
  message: string;
}

/** A fresh id for a step of `agent`: the agent's id, then `-2`, `-3`, ... (step ids allow `[A-Za-z0-9._-]`). */
export function newStepId(steps: readonly BuilderStep[], agent: string): string {
  const base = agent.replace(/[^A-Za-z0-9._-]/g, '-') || 'step';
  const taken = new Set(steps.map((s) => s.id));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

/** Where a step added without a drop point goes: right of the rightmost node, on the first row. */
export function nextFreeSpot(steps: readonly BuilderStep[]): { x: number; y: number } {
  if (steps.length === 0) return { x: MARGIN, y: MARGIN };
  const right = Math.max(...steps.map((s) => s.x));
  return { x: right + NODE.width + GAP.x, y: MARGIN };
}

export function addStep(
  steps: readonly BuilderStep[],
  agent: string,
  at?: { x: number; y: number },
): { steps: BuilderStep[]; id: string } {
  const id = newStepId(steps, agent);
  const spot = at ?? nextFreeSpot(steps);
  const step: BuilderStep = { id, agent, instruction: '', question: '', dependsOn: [], ...clampPoint(spot) };
  return { steps: [...steps, step], id };
}

/** Removes a step and every dependency on it. */
export function removeStep(steps: readonly BuilderStep[], id: string): BuilderStep[] {
  return steps
    .filter((s) => s.id !== id)
    .map((s) => (s.dependsOn.includes(id) ? { ...s, dependsOn: s.dependsOn.filter((d) => d !== id) } : s));
}

const clampPoint = (p: { x: number; y: number }) => ({
  x: Math.max(0, Math.round(p.x)),
  y: Math.max(0, Math.round(p.y)),
});

export function moveStep(steps: readonly BuilderStep[], id: string, to: { x: number; y: number }): BuilderStep[] {
  return steps.map((s) => (s.id === id ? { ...s, ...clampPoint(to) } : s));
}

export function updateStep(
  steps: readonly BuilderStep[],
  id: string,
  patch: Partial<Pick<BuilderStep, 'agent' | 'instruction' | 'question'>>,
): BuilderStep[] {
  return steps.map((s) => (s.id === id ? { ...s, ...patch } : s));
}

/** True when `from` waits for `to`, directly or through other steps. */
export function dependsOnTransitively(steps: readonly BuilderStep[], from: string, to: string): boolean {
  const deps = new Map(steps.map((s) => [s.id, s.dependsOn]));
  const seen = new Set<string>();
  const stack = [...(deps.get(from) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(deps.get(id) ?? []));
  }
  return false;
}

/**
 * Why `to` cannot wait for `from`, or `null` when it can: the same step, an edge that is already
 * there, unknown steps, or a cycle (`from` already waits for `to`).
 */
export function connectProblem(steps: readonly BuilderStep[], from: string, to: string): string | null {
  const source = steps.find((s) => s.id === from);
  const target = steps.find((s) => s.id === to);
  if (!source || !target) return 'That step is gone.';
  if (from === to) return 'A step cannot wait for itself.';
  if (target.dependsOn.includes(from)) return `${to} already waits for ${from}.`;
  if (dependsOnTransitively(steps, from, to)) return `That would make a cycle: ${from} already waits for ${to}.`;
  return null;
}

/** `to` waits for `from` (an edge from → to); unchanged when `connectProblem` objects. */
export function connect(steps: readonly BuilderStep[], from: string, to: string): BuilderStep[] {
  if (connectProblem(steps, from, to)) return [...steps];
  return steps.map((s) => (s.id === to ? { ...s, dependsOn: [...s.dependsOn, from] } : s));
}

export function disconnect(steps: readonly BuilderStep[], from: string, to: string): BuilderStep[] {
  return steps.map((s) => (s.id === to ? { ...s, dependsOn: s.dependsOn.filter((d) => d !== from) } : s));
}

/** A cycle through the dependencies as the list of its step ids (first repeated at the end), or `null`. */
export function findCycle(steps: readonly BuilderStep[]): string[] | null {
  const deps = new Map(steps.map((s) => [s.id, s.dependsOn]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'open') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'open');
    path.push(id);
    for (const dep of deps.get(id) ?? []) {
      if (!deps.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const step of steps) {
    const cycle = visit(step.id);
    if (cycle) return cycle;
  }
  return null;
}

/** What stops the graph from being saved or run: no steps, a step without agent or instruction, a cycle. */
export function validateGraph(steps: readonly BuilderStep[], knownAgents?: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  if (steps.length === 0) problems.push({ stepId: null, message: 'Add at least one step.' });
  const ids = new Set(steps.map((s) => s.id));
  for (const step of steps) {
    if (!step.agent) problems.push({ stepId: step.id, message: `${step.id} has no agent.` });
    else if (knownAgents && knownAgents.size > 0 && !knownAgents.has(step.agent)) {
      problems.push({ stepId: step.id, message: `${step.id} names an unknown agent (${step.agent}).` });
    }
    if (!step.instruction.trim()) problems.push({ stepId: step.id, message: `${step.id} has no instruction.` });
    for (const dep of step.dependsOn) {
      if (!ids.has(dep)) problems.push({ stepId: step.id, message: `${step.id} waits for a missing step (${dep}).` });
    }
  }
  const cycle = findCycle(steps);
  if (cycle) problems.push({ stepId: cycle[0] ?? null, message: `The steps form a cycle: ${cycle.join(' → ')}.` });
  return problems;
}

/** The graph as the API takes a plan. */
export function toPlanInput(steps: readonly BuilderStep[]): PlanInput {
  return {
    steps: steps.map((s) => ({
      id: s.id,
      agent: s.agent,
      instruction: s.instruction.trim(),
      dependsOn: [...s.dependsOn],
      ...(s.question.trim() ? { question: s.question.trim() } : {}),
    })),
  };
}

export function toLayout(steps: readonly BuilderStep[]): NodePositionInput[] {
  return steps.map((s) => ({ stepId: s.id, x: s.x, y: s.y }));
}

/** Places every step by dependency layers (the workflows page's layout), left to right. */
export function autoLayout(steps: readonly BuilderStep[]): BuilderStep[] {
  const layout = layoutDag(steps, {
    nodeWidth: NODE.width,
    nodeHeight: NODE.height,
    layerGap: GAP.x,
    nodeGap: GAP.y,
    padding: MARGIN,
  });
  const at = new Map(layout.nodes.map((n) => [n.id, n]));
  return steps.map((s) => {
    const node = at.get(s.id);
    return node ? { ...s, x: node.x, y: node.y } : s;
  });
}

/** A saved template back on the canvas: its steps where they were saved (laid out when it has no layout). */
export function fromTemplate(template: Pick<WorkflowTemplate, 'plan' | 'layout'>): BuilderStep[] {
  const positions = new Map(template.layout.map((p) => [p.stepId, p]));
  const steps = template.plan.steps.map(
    (s: PlanStep): BuilderStep => ({
      id: s.id,
      agent: s.agent,
      instruction: s.instruction,
      question: s.question ?? '',
      dependsOn: [...s.dependsOn],
      x: positions.get(s.id)?.x ?? 0,
      y: positions.get(s.id)?.y ?? 0,
    }),
  );
  return steps.every((s) => positions.has(s.id)) ? steps : autoLayout(steps);
}

/** How big the canvas must be to hold every node, with room to drop more. */
export function canvasExtent(steps: readonly BuilderStep[], room = 240): { width: number; height: number } {
  return {
    width: Math.max(0, ...steps.map((s) => s.x + NODE.width)) + room,
    height: Math.max(0, ...steps.map((s) => s.y + NODE.height)) + room,
  };
}
