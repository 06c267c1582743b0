import { describe, expect, it } from 'vitest';
import { builtinAgents } from '../agents/builtin-agents';
import { Plan, criticalPathLength, planProblems } from '../domain/plan';
import { offlinePlan, offlineRevision } from './offline-planner';

const agents = [...builtinAgents];
const known = new Set(agents.map((a) => a.id as string));
const plan = (task: string, mode: 'single' | 'multi' | 'workflow' = 'workflow', requestedAgents?: string[]) =>
  offlinePlan({ runId: 'r', task, mode, agents, ...(requestedAgents ? { requestedAgents } : {}) });

describe('offline planner', () => {
  it('turns a compound task into a pipeline ordered by phase', () => {
    const p = plan('Implement a rate limiter, test it and deploy it');
    expect(planProblems(p, known)).toEqual([]);
    expect(p.steps.map((s) => [s.agent, s.dependsOn])).toEqual([
      ['code-generator', []],
      ['tester', ['code-generator']],
      ['deployer', ['tester']],
    ]);
    expect(criticalPathLength(p)).toBe(3);
  });

  it('adds a tester after code when the task asked for nothing else', () => {
    expect(plan('Create a TypeScript type-safe event emitter class').steps.map((s) => s.agent)).toEqual([
      'code-generator',
      'tester',
    ]);
  });

  it('makes a decision question a panel of three agents on one question', () => {
    const p = plan('Should we store sessions in Postgres or Redis?');
    expect(p.steps).toHaveLength(3);
    expect(new Set(p.steps.map((s) => s.question)).size).toBe(1);
    expect(p.steps.every((s) => s.dependsOn.length === 0)).toBe(true);
  });

  it('uses the agents a person chose', () => {
    expect(plan('anything at all', 'single', ['documenter']).steps.map((s) => s.agent)).toEqual(['documenter']);
    expect(plan('anything at all', 'multi', ['security', 'architect']).steps.map((s) => s.agent)).toEqual([
      'security',
      'architect',
    ]);
  });

  it('repairs a failed check with a debugger step and a re-check, rewiring what depended on it', () => {
    const p = Plan.parse(plan('Implement a rate limiter, test it and deploy it'));
    const revised = offlineRevision({
      runId: 'r',
      task: 't',
      plan: p,
      agents,
      trigger: {
        stepId: 'tester',
        agent: 'tester',
        reason: 'tests fail',
        answer: {
          answer: 'x',
          position: 'fail',
          confidence: 0.9,
          rationale: '',
          flag: 'failed-check',
          usage: { model: 'm', provider: 'offline', local: true, tokensIn: 1, tokensOut: 1, costUsd: 0, latencyMs: 1 },
        },
      },
      started: ['code-generator', 'tester'],
      revision: 1,
    });
    expect(revised && planProblems(revised, known)).toEqual([]);
    const byId = Object.fromEntries((revised?.steps ?? []).map((s) => [s.id, s]));
    expect(byId['fix-tester']).toMatchObject({ agent: 'debugger', dependsOn: ['tester'], insertedFor: 'tester' });
    expect(byId['recheck-tester']).toMatchObject({ agent: 'tester', dependsOn: ['fix-tester'], insertedFor: 'tester' });
    expect(byId.deployer?.dependsOn).toEqual(['recheck-tester']);
  });
});
