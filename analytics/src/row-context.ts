import { type AgentProfile, type RunEvent, capabilityFor, selectAgents } from '@revo/actors';

/**
 * What the rows of a run need from earlier events of it: each step's instruction (from the plan),
 * to name the capability a step's work called on, and the task's category (the agent it calls for
 * first). Forgets a run when it ends; remembers at most `maxRuns` runs at once.
 */
export function createRowContext(agents: readonly AgentProfile[], options: { maxRuns?: number } = {}) {
  const maxRuns = options.maxRuns ?? 10_000;
  const byId = new Map(agents.map((a) => [a.id as string, a]));
  const instructions = new Map<string, Map<string, string>>();
  const capabilities = new Map<string, string>();
  return {
    categorise: (task: string): string => selectAgents(task, agents).chosen[0] ?? '',
    observe(event: RunEvent) {
      if (event.type === 'workflow.planned') {
        instructions.set(event.runId, new Map(event.plan.steps.map((s) => [s.id as string, s.instruction])));
        if (instructions.size > maxRuns) instructions.delete(instructions.keys().next().value as string);
      } else if (
        event.type === 'workflow.completed' ||
        event.type === 'workflow.failed' ||
        event.type === 'workflow.cancelled'
      ) {
        instructions.delete(event.runId);
      }
    },
    capabilityOf(runId: string, stepId: string, agent: string): string {
      const instruction = instructions.get(runId)?.get(stepId);
      const profile = byId.get(agent);
      if (!instruction || !profile) return '';
      const key = `${agent}\u0000${instruction}`;
      let capability = capabilities.get(key);
      if (capability === undefined) {
        capability = capabilityFor(instruction, profile) ?? '';
        if (capabilities.size > 50_000) capabilities.clear();
        capabilities.set(key, capability);
      }
      return capability;
    },
  };
}
