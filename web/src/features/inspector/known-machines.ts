/**
 * reVo's own machines (`@revo/actors`, the pure definitions STYLE.md lets the web app draw from),
 * for what their JSON definition leaves out: XState's `machine.definition` has no `always`
 * transitions, so a chart drawn from the API alone would show `assigning` leading nowhere.
 */
import { agentMachine, conversationMachine, discussionMachine, workflowMachine } from '@revo/actors';
import type { ExtraTransitions } from './statechart';

interface NodeLike {
  id: string;
  states?: Record<string, NodeLike>;
  always?: { target?: readonly { id: string }[]; guard?: unknown }[];
}

const guardName = (guard: unknown): string | null =>
  typeof guard === 'string'
    ? guard
    : typeof guard === 'object' && guard !== null && 'type' in guard
      ? String((guard as { type: unknown }).type)
      : guard
        ? 'guard'
        : null;

/** The eventless transitions of a machine, by state id. */
export function eventlessTransitions(root: NodeLike): ExtraTransitions {
  const found: ExtraTransitions = {};
  const walk = (node: NodeLike) => {
    const list = (node.always ?? []).map((t) => ({
      targets: (t.target ?? []).map((s) => s.id),
      guard: guardName(t.guard),
    }));
    if (list.length > 0) found[node.id] = list;
    for (const child of Object.values(node.states ?? {})) walk(child);
  };
  walk(root);
  return found;
}

const machines: Record<string, { root: unknown }> = {
  agent: agentMachine,
  conversation: conversationMachine,
  discussion: discussionMachine,
  workflow: workflowMachine,
};

const cache = new Map<string, ExtraTransitions>();

/** The eventless transitions of the machine of this kind, or none for a machine the web app does not know. */
export function knownEventless(kind: string): ExtraTransitions {
  const machine = machines[kind];
  if (!machine) return {};
  let found = cache.get(kind);
  if (!found) {
    found = eventlessTransitions(machine.root as NodeLike);
    cache.set(kind, found);
  }
  return found;
}
