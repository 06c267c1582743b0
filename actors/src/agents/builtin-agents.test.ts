import { describe, expect, it } from 'vitest';
import { AgentProfile } from '../domain/agent-profile';
import { builtinAgents } from './builtin-agents';

const byId = (id: string) => builtinAgents.find((a) => a.id === id) as AgentProfile;

describe('builtinAgents', () => {
  it('holds exactly the nine built-in agents', () => {
    expect(builtinAgents.map((a) => a.id)).toEqual([
      'code-generator',
      'debugger',
      'tester',
      'documenter',
      'deployer',
      'browser',
      'security',
      'architect',
      'performance',
    ]);
  });

  it('holds profiles that satisfy the schema, each with a rich vocabulary', () => {
    for (const agent of builtinAgents) {
      expect(AgentProfile.parse(agent)).toEqual(agent);
      const words = agent.capabilities.flatMap((c) => c.keywords);
      expect(words.length, agent.id).toBeGreaterThan(40);
    }
  });

  it('asks every agent for the common JSON answer fields', () => {
    for (const agent of builtinAgents) {
      for (const field of ['"answer"', '"position"', '"confidence"', '"rationale"', '"flag"']) {
        expect(agent.systemPrompt, `${agent.id} ${field}`).toContain(field);
      }
      expect(agent.systemPrompt).toMatch(/at most five lower-case words/);
    }
  });

  it('makes the tester flag failing tests as a failed check with position "fail"', () => {
    const tester = byId('tester');
    expect(tester.systemPrompt).toMatch(/"flag" to "failed-check" and "position" to "fail"/);
    expect(tester.positions).toContain('fail');
  });

  it('gives the reasoning tier to debugger, architect and security and general to the rest', () => {
    for (const agent of builtinAgents) {
      const expected = ['debugger', 'architect', 'security'].includes(agent.id) ? 'reasoning' : 'general';
      expect(agent.modelPreference.tier, agent.id).toBe(expected);
    }
    expect(byId('code-generator').modelPreference.models).toContain('ollama:qwen2.5-coder:7b');
  });
});
