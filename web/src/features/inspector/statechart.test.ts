import { describe, expect, it } from 'vitest';
import agentDefinition from './fixtures/agent.definition.json';
import workflowDefinition from './fixtures/workflow.definition.json';
import { activeStateIds, allStates, describeValue, eventLabel, parseDefinition, withEventless } from './statechart';

// The fixtures are what `actors { definition }` answered for reVo's workflow and agent machines.
const workflow = parseDefinition(workflowDefinition);
const agent = parseDefinition(agentDefinition);

describe('parseDefinition', () => {
  it('reads the nested states with their types and initial state', () => {
    expect(workflow?.id).toBe('workflow');
    expect(workflow?.initial).toBe('planning');
    expect(workflow?.children.map((c) => c.key)).toEqual([
      'planning',
      'predicting',
      'assigning',
      'running',
      'reconciling',
      'discussing',
      'awaitingHuman',
      'completed',
      'failed',
      'cancelled',
    ]);
    expect(workflow?.children.find((c) => c.key === 'completed')?.type).toBe('final');
    const working = agent?.children.find((c) => c.key === 'working');
    expect(working?.type).toBe('compound');
    expect(working?.initial).toBe('calling');
    expect(working?.children.map((c) => c.id)).toContain('agent.working.calling');
  });

  it('reads transitions with their events, targets and guards', () => {
    const awaiting = workflow?.children.find((c) => c.key === 'awaitingHuman');
    expect(awaiting?.transitions).toEqual([
      {
        event: 'conflict.decide',
        label: 'conflict.decide',
        source: 'workflow.awaitingHuman',
        targets: ['workflow.reconciling'],
        guard: 'decidesEscalated',
      },
    ]);
    expect(workflow?.transitions.map((t) => [t.event, t.targets])).toEqual([
      ['workflow.cancel', ['workflow.cancelled']],
    ]);
    const planning = workflow?.children.find((c) => c.key === 'planning');
    expect(planning?.transitions.map((t) => t.label)).toEqual(['done: planning', 'error: planning']);
    expect(planning?.invokes).toEqual(['plan']);
  });

  it('reads `on` and `always` when there is no transitions list', () => {
    const chart = parseDefinition({
      id: 'm',
      initial: 'a',
      states: {
        a: {
          on: { GO: { target: 'm.b' }, STAY: [{ actions: ['x'] }] },
          always: [{ target: '#m.b', guard: { type: 'ok' } }],
        },
        b: { type: 'final' },
      },
    });
    const a = chart?.children[0];
    expect(chart?.initial).toBe('a');
    expect(a?.transitions.map((t) => [t.label, t.targets, t.guard])).toEqual([
      ['GO', ['m.b'], null],
      ['STAY', [], null],
      ['always', ['m.b'], 'ok'],
    ]);
  });

  it('is null for something that is not a definition', () => {
    expect(parseDefinition(null)).toBeNull();
    expect(parseDefinition('workflow')).toBeNull();
    expect(parseDefinition({ foo: 1 })).toBeNull();
  });
});

describe('activeStateIds', () => {
  it('lights the root and the state a string value names', () => {
    expect([...activeStateIds(workflow as never, 'awaitingHuman')]).toEqual(['workflow', 'workflow.awaitingHuman']);
  });

  it('lights every level of a nested value', () => {
    expect([...activeStateIds(agent as never, { working: 'calling' })]).toEqual([
      'agent',
      'agent.working',
      'agent.working.calling',
    ]);
  });

  it('lights each region of a parallel value and ignores keys it does not know', () => {
    const chart = parseDefinition({
      id: 'p',
      type: 'parallel',
      states: {
        a: { id: 'p.a', states: { x: { id: 'p.a.x' } } },
        b: { id: 'p.b', states: { y: { id: 'p.b.y' } } },
      },
    });
    expect([...activeStateIds(chart as never, { a: 'x', b: 'y', c: 'z' })].sort()).toEqual([
      'p',
      'p.a',
      'p.a.x',
      'p.b',
      'p.b.y',
    ]);
  });
});

describe('statechart helpers', () => {
  it('labels events in a few words', () => {
    expect(eventLabel('xstate.done.actor.0.workflow.planning')).toBe('done: planning');
    expect(eventLabel('xstate.error.actor.execution')).toBe('error: execution');
    expect(eventLabel('xstate.after.1500.agent.working.backoff')).toBe('after 1500 ms');
    expect(eventLabel('')).toBe('always');
    expect(eventLabel('model.reply')).toBe('model.reply');
  });

  it('describes a value', () => {
    expect(describeValue('completed')).toBe('completed');
    expect(describeValue({ working: 'calling' })).toBe('working.calling');
    expect(describeValue({ a: 'x', b: { c: 'd' } })).toBe('a.x + b.c.d');
  });

  it('adds eventless transitions the JSON definition dropped, once', () => {
    const extra = { 'workflow.assigning': [{ targets: ['workflow.running'], guard: null }] };
    const once = withEventless(workflow as never, extra);
    const twice = withEventless(once, extra);
    const assigning = allStates(twice).find((s) => s.id === 'workflow.assigning');
    expect(assigning?.transitions).toEqual([
      { event: '', label: 'always', source: 'workflow.assigning', targets: ['workflow.running'], guard: null },
    ]);
  });
});
