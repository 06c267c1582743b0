/**
 * A machine definition (XState's `machine.definition`, as JSON) read into a tree of states and
 * their transitions, and which of those states a snapshot's `value` makes active. Pure: the
 * inspector draws from it (`statechart-layout.ts`), tests feed it definitions and values.
 */

export type ChartStateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface ChartTransition {
  /** The event type as the machine spells it; `''` for an eventless (`always`) transition. */
  event: string;
  /** The event in a few words: `done: planning`, `after 500 ms`, `always`. */
  label: string;
  source: string;
  /** State ids; empty for a transition that stays put (it runs actions only). */
  targets: string[];
  guard: string | null;
}

export interface ChartState {
  id: string;
  key: string;
  type: ChartStateType;
  /** The key of the child entered first (compound states). */
  initial: string | null;
  children: ChartState[];
  transitions: ChartTransition[];
  /** What the state runs while it is active (`invoke.src`). */
  invokes: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** `#workflow.failed` -> `workflow.failed`; a state node object -> its id. */
function targetId(raw: unknown): string | null {
  if (typeof raw === 'string') return raw.startsWith('#') ? raw.slice(1) : raw;
  if (isObject(raw) && typeof raw.id === 'string') return raw.id;
  return null;
}

function guardName(raw: unknown): string | null {
  if (typeof raw === 'string') return raw;
  if (isObject(raw) && typeof raw.type === 'string') return raw.type;
  return raw ? 'guard' : null;
}

/** The last meaningful part of an invoke or state id: `0.workflow.planning` -> `planning`. */
const shortId = (id: string) =>
  id
    .split('.')
    .filter((p) => p && !/^\d+$/.test(p))
    .pop() ?? id;

/** An event type in a few words, for an arrow's label. */
export function eventLabel(event: string): string {
  if (event === '') return 'always';
  let match = /^xstate\.done\.actor\.(.+)$/.exec(event);
  if (match) return `done: ${shortId(match[1] as string)}`;
  match = /^xstate\.error\.actor\.(.+)$/.exec(event);
  if (match) return `error: ${shortId(match[1] as string)}`;
  match = /^xstate\.snapshot\.(.+)$/.exec(event);
  if (match) return `update: ${shortId(match[1] as string)}`;
  match = /^xstate\.after\.(\d+)\./.exec(event);
  if (match) return `after ${match[1]} ms`;
  if (/^xstate\.done\.state\./.test(event)) return 'done';
  return event;
}

function readTransition(raw: unknown, source: string, fallbackEvent: string): ChartTransition | null {
  if (!isObject(raw)) return null;
  const event = typeof raw.eventType === 'string' ? raw.eventType : fallbackEvent;
  const targets = asArray(raw.target).flatMap((t) => {
    const id = targetId(t);
    return id ? [id] : [];
  });
  return { event, label: eventLabel(event), source, targets, guard: guardName(raw.guard) };
}

function readTransitions(node: Json, id: string): ChartTransition[] {
  const found: ChartTransition[] = [];
  if (Array.isArray(node.transitions)) {
    for (const raw of node.transitions) {
      const t = readTransition(raw, id, '');
      if (t) found.push(t);
    }
  } else if (isObject(node.on)) {
    for (const [event, list] of Object.entries(node.on)) {
      for (const raw of asArray(list)) {
        const t = readTransition(raw, id, event);
        if (t) found.push(t);
      }
    }
  }
  for (const raw of asArray(node.always)) {
    const t = readTransition(isObject(raw) ? { ...raw, eventType: '' } : { target: raw, eventType: '' }, id, '');
    if (t) found.push(t);
  }
  const seen = new Set<string>();
  return found.filter((t) => {
    const key = `${t.event}|${t.targets.join(',')}|${t.guard ?? ''}`;
    return !seen.has(key) && seen.add(key);
  });
}

const TYPES = new Set<ChartStateType>(['atomic', 'compound', 'parallel', 'final', 'history']);

function readState(node: Json, path: string[]): ChartState {
  const key = typeof node.key === 'string' ? node.key : (path[path.length - 1] ?? 'machine');
  const id = typeof node.id === 'string' ? node.id : path.join('.');
  const entries = isObject(node.states) ? Object.entries(node.states).filter(([, v]) => isObject(v)) : [];
  const order = (v: unknown) => (isObject(v) && typeof v.order === 'number' ? v.order : 0);
  entries.sort((a, b) => order(a[1]) - order(b[1]));
  const children = entries.map(([childKey, child]) => readState(child as Json, [...path, childKey]));
  const rawType = typeof node.type === 'string' ? (node.type as ChartStateType) : undefined;
  const type: ChartStateType = rawType && TYPES.has(rawType) ? rawType : children.length > 0 ? 'compound' : 'atomic';
  const initialTarget = isObject(node.initial) ? asArray(node.initial.target)[0] : node.initial;
  const initialId = targetId(initialTarget);
  const initial =
    children.find((c) => c.id === initialId)?.key ?? children.find((c) => c.key === initialId)?.key ?? null;
  const invokes = asArray(node.invoke).flatMap((i) => (isObject(i) && typeof i.src === 'string' ? [i.src] : []));
  return { id, key, type, initial, children, transitions: readTransitions(node, id), invokes };
}

/** Reads a machine definition; `null` when it is not one (no id and no states). */
export function parseDefinition(definition: unknown): ChartState | null {
  if (!isObject(definition)) return null;
  if (typeof definition.id !== 'string' && !isObject(definition.states)) return null;
  const root = typeof definition.key === 'string' ? definition.key : String(definition.id ?? 'machine');
  return readState(definition, [root]);
}

/** Every state of the tree, parents before children. */
export function allStates(root: ChartState): ChartState[] {
  return [root, ...root.children.flatMap(allStates)];
}

/**
 * The ids of the states a snapshot's value makes active: the root, and down the tree each key the
 * value names (`'completed'`, `{ working: 'calling' }`, or several keys of a parallel state).
 */
export function activeStateIds(root: ChartState, value: unknown): Set<string> {
  const active = new Set<string>();
  const walk = (node: ChartState, v: unknown) => {
    active.add(node.id);
    if (typeof v === 'string') {
      const child = node.children.find((c) => c.key === v);
      if (child) walk(child, undefined);
    } else if (isObject(v)) {
      for (const [key, inner] of Object.entries(v)) {
        const child = node.children.find((c) => c.key === key);
        if (child) walk(child, inner);
      }
    }
  };
  walk(root, value);
  return active;
}

/** A state value in words: `completed`, `working.calling`, `a.x + b.y`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isObject(value)) {
    return Object.entries(value)
      .map(([key, inner]) => {
        const rest = describeValue(inner);
        return rest ? `${key}.${rest}` : key;
      })
      .join(' + ');
  }
  return '';
}

/** Eventless transitions to add to a definition that lacks them (the JSON form drops `always`). */
export type ExtraTransitions = Record<string, { targets: string[]; guard: string | null }[]>;

/** Adds eventless transitions by state id, skipping ones the definition already has. */
export function withEventless(root: ChartState, extra: ExtraTransitions): ChartState {
  const add = (node: ChartState): ChartState => {
    const more = (extra[node.id] ?? [])
      .map((t) => ({ event: '', label: 'always', source: node.id, targets: t.targets, guard: t.guard }))
      .filter(
        (t) =>
          !node.transitions.some(
            (o) => o.event === '' && o.targets.join(',') === t.targets.join(',') && o.guard === t.guard,
          ),
      );
    return { ...node, transitions: [...node.transitions, ...more], children: node.children.map(add) };
  };
  return add(root);
}
