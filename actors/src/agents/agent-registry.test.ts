import { describe, expect, it } from 'vitest';
import { AgentProfile } from '../domain/agent-profile';
import { AgentConfigError, createAgentRegistry, mergeAgents, parseAgentConfig } from './agent-registry';
import { builtinAgents } from './builtin-agents';

const entry = (over: Record<string, unknown> = {}) => ({
  id: 'sql-reviewer',
  name: 'SQL reviewer',
  description: 'Reviews SQL migrations',
  capabilities: [{ name: 'sql', weight: 1, keywords: ['migration', 'sql'] }],
  systemPrompt: 'You review SQL.',
  ...over,
});

const config = (...agents: unknown[]) => JSON.stringify({ agents });

function problemsOf(text: string): string {
  try {
    parseAgentConfig(text, 'agents.json');
  } catch (error) {
    expect(error).toBeInstanceOf(AgentConfigError);
    return (error as Error).message;
  }
  throw new Error('expected parseAgentConfig to throw');
}

describe('createAgentRegistry', () => {
  const registry = createAgentRegistry(builtinAgents);

  it('finds agents by id and lists them in order', () => {
    expect(registry.get('tester').name).toBe('Tester');
    expect(registry.has('architect')).toBe(true);
    expect(registry.has('astronaut')).toBe(false);
    expect(registry.list().map((a) => a.id)).toEqual(builtinAgents.map((a) => a.id));
  });

  it('names the unknown id and the known ones when a lookup fails', () => {
    expect(() => registry.get('astronaut')).toThrow(
      /unknown agent "astronaut"; known agents: code-generator, debugger, tester/,
    );
  });

  it('refuses two agents with the same id', () => {
    expect(() => createAgentRegistry([...builtinAgents, builtinAgents[0] as AgentProfile])).toThrow(
      /"code-generator" appears twice/,
    );
  });
});

describe('parseAgentConfig', () => {
  it('parses a valid file and fills in defaults', () => {
    const parsed = parseAgentConfig(config(entry()), 'agents.json');
    expect(parsed.agents[0]).toMatchObject({
      id: 'sql-reviewer',
      override: false,
      costClass: 0.2,
      modelPreference: { tier: 'general', models: [], locality: 'local-first' },
    });
  });

  it('names the file and says the JSON is malformed', () => {
    expect(problemsOf('{"agents": [}')).toMatch(/^agents\.json: not valid JSON/);
  });

  it('names each missing field by its path', () => {
    const message = problemsOf(config({ id: 'half-done', name: 'Half' }));
    expect(message).toContain('agents.json: agents[0].description: is required (a string)');
    expect(message).toContain('agents.json: agents[0].capabilities: is required (an array)');
    expect(message).toContain('agents.json: agents[0].systemPrompt: is required (a string)');
  });

  it('explains bad values in plain words', () => {
    const message = problemsOf(
      config(
        entry({
          id: 'SQL_Reviewer',
          capabilities: [{ name: 'sql', weight: 2, keywords: [] }],
          modelPreference: { tier: 'huge' },
        }),
      ),
    );
    expect(message).toContain('agents.json: agents[0].id: agent ids are kebab-case');
    expect(message).toContain('agents[0].capabilities[0].weight: must be at most 1');
    expect(message).toContain('agents[0].capabilities[0].keywords: must be at least 1 items');
    expect(message).toContain('agents[0].modelPreference.tier: must be one of "reasoning", "general", "fast"');
  });

  it('points out misspelt fields instead of dropping them silently', () => {
    expect(problemsOf(config(entry({ costclass: 0.1 })))).toContain(
      'agents.json: agents[0]: unknown field "costclass" (check the spelling)',
    );
  });

  it('requires the top-level "agents" list', () => {
    expect(problemsOf('{"agent": []}')).toContain('agents.json: agents: is required');
    expect(problemsOf('[]')).toMatch(/agents\.json: the file: should be an object/);
  });

  it('refuses the same id twice in one file', () => {
    expect(problemsOf(config(entry(), entry()))).toContain(
      'agents.json: agents[1].id: "sql-reviewer" is already used by agents[0]',
    );
  });

  it('refuses a built-in id unless the entry says "override": true', () => {
    expect(problemsOf(config(entry({ id: 'tester' })))).toContain(
      'agents[0].id: "tester" is a built-in agent; set "override": true on this entry to replace it',
    );
    const parsed = parseAgentConfig(config(entry({ id: 'tester', override: true })), 'agents.json');
    expect(parsed.agents[0]?.override).toBe(true);
  });
});

describe('mergeAgents', () => {
  it('puts an overriding agent in its built-in place and appends new ones', () => {
    const { agents } = parseAgentConfig(
      config(entry(), entry({ id: 'tester', name: 'Strict tester', override: true })),
      'agents.json',
    );
    const merged = mergeAgents(builtinAgents, agents);
    expect(merged.map((a) => a.id)).toEqual([...builtinAgents.map((a) => a.id), 'sql-reviewer']);
    expect(merged[2]?.name).toBe('Strict tester');
    expect(merged[2]).not.toHaveProperty('override');
  });

  it('refuses a built-in id without override even when the config was not parsed first', () => {
    const sneaky = AgentProfile.parse(entry({ id: 'debugger' }));
    expect(() => mergeAgents(builtinAgents, [sneaky])).toThrow(AgentConfigError);
  });
});
