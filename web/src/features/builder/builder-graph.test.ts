import { describe, expect, it } from 'vitest';
import {
  type BuilderStep,
  NODE,
  addStep,
  autoLayout,
  canvasExtent,
  connect,
  connectProblem,
  disconnect,
  findCycle,
  fromTemplate,
  moveStep,
  newStepId,
  removeStep,
  toLayout,
  toPlanInput,
  updateStep,
  validateGraph,
} from './builder-graph';

const step = (id: string, dependsOn: string[] = [], patch: Partial<BuilderStep> = {}): BuilderStep => ({
  id,
  agent: 'tester',
  instruction: `do ${id}`,
  question: '',
  dependsOn,
  x: 0,
  y: 0,
  ...patch,
});

describe('builder graph', () => {
  it('names a new step after its agent, numbering repeats', () => {
    const one = addStep([], 'code-generator');
    const two = addStep(one.steps, 'code-generator');
    expect([one.id, two.id]).toEqual(['code-generator', 'code-generator-2']);
    expect(newStepId([step('a b')], 'a b')).toBe('a-b');
  });

  it('puts a step where it was dropped, or right of the others', () => {
    const dropped = addStep([], 'tester', { x: 120.6, y: -5 });
    expect(dropped.steps[0]).toMatchObject({ x: 121, y: 0, instruction: '', dependsOn: [] });
    const next = addStep(dropped.steps, 'deployer');
    expect(next.steps[1]?.x).toBeGreaterThanOrEqual(121 + NODE.width);
  });

  it('connects a step to wait for another and refuses itself, repeats and cycles', () => {
    let steps = [step('a'), step('b'), step('c')];
    steps = connect(steps, 'a', 'b');
    steps = connect(steps, 'b', 'c');
    expect(steps.find((s) => s.id === 'c')?.dependsOn).toEqual(['b']);
    expect(connectProblem(steps, 'a', 'a')).toMatch(/itself/);
    expect(connectProblem(steps, 'a', 'b')).toMatch(/already waits/);
    expect(connectProblem(steps, 'c', 'a')).toMatch(/cycle/);
    expect(connect(steps, 'c', 'a')).toEqual(steps);
    expect(connectProblem(steps, 'a', 'c')).toBeNull();
  });

  it('disconnects, and removing a step removes the dependencies on it', () => {
    const steps = [step('a'), step('b', ['a']), step('c', ['a', 'b'])];
    expect(disconnect(steps, 'a', 'c').find((s) => s.id === 'c')?.dependsOn).toEqual(['b']);
    const left = removeStep(steps, 'a');
    expect(left.map((s) => [s.id, s.dependsOn])).toEqual([
      ['b', []],
      ['c', ['b']],
    ]);
  });

  it('moves and edits one step only, keeping positions on the canvas', () => {
    const steps = [step('a'), step('b')];
    expect(moveStep(steps, 'a', { x: -10, y: 33.3 })[0]).toMatchObject({ x: 0, y: 33 });
    expect(updateStep(steps, 'b', { instruction: 'new' }).map((s) => s.instruction)).toEqual(['do a', 'new']);
  });

  it('finds a cycle and names its steps', () => {
    expect(findCycle([step('a'), step('b', ['a'])])).toBeNull();
    expect(findCycle([step('a', ['c']), step('b', ['a']), step('c', ['b'])])).toEqual(['a', 'c', 'b', 'a']);
  });

  it('validates: steps exist, each has a known agent and an instruction, no cycle', () => {
    expect(validateGraph([]).map((p) => p.message)).toEqual(['Add at least one step.']);
    const problems = validateGraph(
      [step('a', ['b'], { instruction: '  ' }), step('b', ['a'], { agent: '' }), step('c', [], { agent: 'ghost' })],
      new Set(['tester']),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'a has no instruction.',
      'b has no agent.',
      'c names an unknown agent (ghost).',
      'The steps form a cycle: a → b → a.',
    ]);
    expect(validateGraph([step('a'), step('b', ['a'])], new Set(['tester']))).toEqual([]);
  });

  it('converts to a plan and a layout, and a template back to the same steps', () => {
    const steps = [
      step('a', [], { x: 10, y: 20, question: ' which api? ' }),
      step('b', ['a'], { x: 300, y: 20, instruction: ' test it ' }),
    ];
    const plan = toPlanInput(steps);
    expect(plan.steps).toEqual([
      { id: 'a', agent: 'tester', instruction: 'do a', dependsOn: [], question: 'which api?' },
      { id: 'b', agent: 'tester', instruction: 'test it', dependsOn: ['a'] },
    ]);
    const layout = toLayout(steps);
    const back = fromTemplate({
      plan: {
        planner: 'builder',
        rationale: '',
        steps: plan.steps.map((s) => ({
          id: s.id,
          agent: s.agent,
          instruction: s.instruction,
          dependsOn: s.dependsOn ?? [],
          question: s.question ?? null,
          insertedFor: null,
        })),
      },
      layout,
    });
    expect(back.map((s) => [s.id, s.x, s.y, s.dependsOn, s.question])).toEqual([
      ['a', 10, 20, [], 'which api?'],
      ['b', 300, 20, ['a'], ''],
    ]);
  });

  it('lays out a template without positions by dependency layers', () => {
    const back = fromTemplate({
      plan: {
        planner: 'offline',
        rationale: '',
        steps: [
          { id: 'a', agent: 'tester', instruction: 'x', dependsOn: [], question: null, insertedFor: null },
          { id: 'b', agent: 'tester', instruction: 'y', dependsOn: ['a'], question: null, insertedFor: null },
        ],
      },
      layout: [],
    });
    expect((back[1]?.x ?? 0) - (back[0]?.x ?? 0)).toBeGreaterThanOrEqual(NODE.width);
    expect(autoLayout(back)).toEqual(back);
  });

  it('sizes the canvas to hold every node with room to spare', () => {
    expect(canvasExtent([step('a', [], { x: 100, y: 50 })], 10)).toEqual({
      width: 100 + NODE.width + 10,
      height: 50 + NODE.height + 10,
    });
  });
});
