import { AgentProfile } from '../domain/agent-profile';

/** Minimal valid agent profiles for machine tests, independent of the built-in registry. */
export const testAgent = (id: string, positions?: string[]): AgentProfile =>
  AgentProfile.parse({
    id,
    name: id,
    description: `test agent ${id}`,
    capabilities: [{ name: id, weight: 1, keywords: [id] }],
    systemPrompt: `You are ${id}.`,
    ...(positions ? { positions } : {}),
  });

export const testAgents = (...ids: string[]): AgentProfile[] => ids.map((id) => testAgent(id));
