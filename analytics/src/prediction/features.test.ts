import { Plan, criticalPathLength } from '@revo/actors';
import { describe, expect, it } from 'vitest';
import {
  type WorkflowHistoryRow,
  featureSpace,
  featureVector,
  inferMode,
  localModelShare,
  parsePlanShape,
  planStats,
  runFacts,
  smoothedSuccess,
} from './features';

const diamond = {
  steps: [
    { id: 'a', agent: 'architect', instruction: 'design', dependsOn: [] },
    { id: 'b', agent: 'code-generator', instruction: 'build', dependsOn: ['a'] },
    { id: 'c', agent: 'tester', instruction: 'test', dependsOn: ['a'] },
    { id: 'd', agent: 'code-generator', instruction: 'merge', dependsOn: ['b', 'c'] },
    { id: 'e', agent: 'documenter', instruction: 'write docs', dependsOn: [] },
  ],
};

const row = (
  id: string,
  plan: WorkflowHistoryRow['plan'],
  extra: Partial<WorkflowHistoryRow> = {},
): WorkflowHistoryRow => ({
  run_id: id,
  created_at: 0,
  ended_at: 1000,
  durationMs: 1000,
  outcome: 'completed',
  costUsd: 0.01,
  mode: 'workflow',
  task_category: 'code-generator',
  plan,
  agents: [],
  models: [],
  ...extra,
});

describe('planStats', () => {
  it('measures size, longest chain, widest level and distinct agents', () => {
    const stats = planStats(parsePlanShape(diamond) ?? { steps: [] });
    expect(stats).toEqual({
      steps: 5,
      criticalPath: 3,
      maxWidth: 2,
      agents: ['architect', 'code-generator', 'tester', 'documenter'],
    });
  });

  it('agrees with criticalPathLength from the domain', () => {
    const stats = planStats(parsePlanShape(diamond) ?? { steps: [] });
    expect(stats.criticalPath).toBe(criticalPathLength(Plan.parse(diamond)));
  });

  it('survives a cycle and an unknown dependency in stored data', () => {
    const broken = {
      steps: [
        { id: 'x', agent: 'tester', dependsOn: ['y', 'ghost'] },
        { id: 'y', agent: 'tester', dependsOn: ['x'] },
      ],
    };
    const stats = planStats(parsePlanShape(broken) ?? { steps: [] });
    expect(stats.steps).toBe(2);
    expect(stats.criticalPath).toBeGreaterThanOrEqual(1);
  });
});

describe('parsePlanShape', () => {
  it('reads a plan given as JSON text the same as the object', () => {
    expect(parsePlanShape(JSON.stringify(diamond))).toEqual(parsePlanShape(diamond));
  });

  it('returns undefined for text that is not a plan', () => {
    expect(parsePlanShape('{not json')).toBeUndefined();
    expect(parsePlanShape(JSON.stringify({ steps: [] }))).toBeUndefined();
  });
});

describe('inferMode', () => {
  it('calls one step single, independent steps multi and a chain workflow', () => {
    const stats = (steps: { id: string; agent: string; dependsOn: string[] }[]) => planStats({ steps });
    expect(inferMode(stats([{ id: 'a', agent: 'tester', dependsOn: [] }]))).toBe('single');
    expect(
      inferMode(
        stats([
          { id: 'a', agent: 'tester', dependsOn: [] },
          { id: 'b', agent: 'security', dependsOn: [] },
        ]),
      ),
    ).toBe('multi');
    expect(inferMode(planStats(parsePlanShape(diamond) ?? { steps: [] }))).toBe('workflow');
  });
});

describe('smoothedSuccess', () => {
  it('is 0.5 without history and shrinks a short record towards it (Beta(2, 2))', () => {
    expect(smoothedSuccess(undefined)).toBe(0.5);
    expect(smoothedSuccess({ agent: 'debugger', trials: 10, successes: 4 })).toBeCloseTo(6 / 14, 12);
  });
});

describe('localModelShare', () => {
  it('counts local providers among the models whose provider it knows', () => {
    expect(localModelShare(['ollama:llama3.1:8b', 'openai:gpt-4o-mini'])).toBe(0.5);
    expect(localModelShare(['offline', 'ollama:qwen2.5:7b', 'mystery-model'])).toBe(1);
    expect(localModelShare(['mystery-model'])).toBeUndefined();
    expect(localModelShare([])).toBeUndefined();
  });
});

describe('featureVector', () => {
  const rows = Array.from({ length: 6 }, (_, i) =>
    row(`r${i}`, i % 2 ? JSON.stringify(diamond) : diamond, { models: i % 3 ? ['ollama:a'] : ['openai:b'] }),
  );
  const facts = rows.map(runFacts).filter((f) => f !== undefined);
  const space = featureSpace(facts, [{ agent: 'tester', trials: 10, successes: 4 }]);

  it('has one value per named feature, agents and categories seen five times getting indicators', () => {
    expect(space.agents).toEqual(['architect', 'code-generator', 'documenter', 'tester']);
    expect(space.categories).toEqual(['code-generator']);
    expect(featureVector(space, facts[0] ?? ({} as never))).toHaveLength(space.names.length);
  });

  it('is deterministic and does not care whether the plan came as text', () => {
    const fromObject = featureVector(space, facts[0] ?? ({} as never));
    const fromText = featureVector(space, facts[1] ?? ({} as never));
    const named = (v: number[]) => Object.fromEntries(space.names.map((n, i) => [n, v[i]]));
    expect(named(fromObject)).toEqual({ ...named(fromText), localModelShare: 0 });
    expect(named(fromText)).toMatchObject({
      steps: 5,
      criticalPath: 3,
      maxWidth: 2,
      distinctAgents: 4,
      agentSuccessMin: 6 / 14,
      agentsWithoutHistory: 3,
      localModelShare: 1,
      'agent:tester': 1,
      'mode:workflow': 1,
      'mode:single': 0,
    });
  });

  it('imputes the model mix of a plan whose models are unknown from its agents past runs', () => {
    const unknown = { ...(facts[0] ?? ({} as never)), localShare: undefined };
    const value = featureVector(space, unknown)[space.names.indexOf('localModelShare')];
    expect(value).toBeCloseTo(4 / 6, 12);
  });
});
