import type { RunEvent as DomainEvent, RunEventBody } from '@revo/actors';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '@/lib/graphql/schema-types';
import { applyRunEvent } from './turn-events';
import { type Turn, emptyTurn } from './turn-state';

const runId = 'c-1.t1';
let clock = 1_000;

type Body = RunEventBody extends infer E ? (E extends unknown ? Omit<E, 'runId'> : never) : never;

/** A run event as the subscription delivers it (the domain event in `data`). */
function event(seq: number, body: Body): RunEvent {
  clock += 10;
  const data = { ...body, runId, seq, at: clock } as DomainEvent;
  const ref = data as { stepId?: string; agent?: string; delta?: string; conflictId?: string };
  return {
    runId,
    seq,
    at: new Date(data.at).toISOString(),
    type: data.type,
    stepId: ref.stepId ?? null,
    agent: ref.agent ?? null,
    delta: ref.delta ?? null,
    state: null,
    conflictId: ref.conflictId ?? null,
    data,
  };
}

const apply = (turn: Turn, ...events: RunEvent[]) => events.reduce(applyRunEvent, turn);
const usage = {
  model: 'ollama:llama3.1:8b',
  provider: 'ollama',
  local: true,
  tokensIn: 1,
  tokensOut: 2,
  costUsd: 0,
  latencyMs: 5,
} as const;
const plan = event(1, {
  type: 'workflow.planned',
  plan: {
    steps: [
      { id: 'a', agent: 'architect', instruction: 'Pick', dependsOn: [] },
      { id: 'b', agent: 'security', instruction: 'Pick', dependsOn: [] },
    ],
    rationale: '',
    planner: 'offline',
  },
} as never);

describe('applyRunEvent', () => {
  it('queues every planned agent', () => {
    const turn = apply(emptyTurn(runId), plan);
    expect(turn.steps.map((s) => [s.id, s.status])).toEqual([
      ['a', 'PENDING'],
      ['b', 'PENDING'],
    ]);
    expect(turn.agents.map((a) => [a.agent, a.phase, a.activity])).toEqual([
      ['architect', 'queued', 'waiting'],
      ['security', 'queued', 'waiting'],
    ]);
  });

  it('tracks an agent from its attempt through its tokens to its answer', () => {
    let turn = apply(
      emptyTurn(runId),
      plan,
      event(2, { type: 'step.started', stepId: 'a', agent: 'architect', attempt: 1 }),
      event(3, { type: 'agent.attempt.started', stepId: 'a', agent: 'architect', model: usage.model, attempt: 1 }),
    );
    expect(turn.agents[0]).toMatchObject({ phase: 'working', model: usage.model, activity: 'thinking' });
    turn = apply(
      turn,
      event(3, { type: 'agent.token', stepId: 'a', agent: 'architect', delta: '{"answer":"Use' }),
      event(3, { type: 'agent.token', stepId: 'a', agent: 'architect', delta: ' REST"' }),
    );
    expect(turn.steps[0]?.streamed).toBe('{"answer":"Use REST"');
    expect(turn.agents[0]).toMatchObject({ phase: 'streaming', activity: 'answering' });
    turn = apply(
      turn,
      event(4, { type: 'agent.completed', stepId: 'a', agent: 'architect', usage }),
      event(5, {
        type: 'step.completed',
        stepId: 'a',
        agent: 'architect',
        answer: { answer: 'Use REST', position: 'rest', confidence: 0.8, rationale: 'r', flag: 'none', usage },
      } as never),
    );
    expect(turn.steps[0]).toMatchObject({
      status: 'SUCCEEDED',
      answer: { answer: 'Use REST', model: usage.model, offline: false, usage: { provider: 'OLLAMA', local: true } },
    });
    expect(turn.agents[0]?.phase).toBe('done');
    expect(turn.offline).toBe(false);
  });

  it('ignores stored events it has seen and tokens older than the last stored event', () => {
    const turn = apply(
      emptyTurn(runId),
      plan,
      event(2, { type: 'step.started', stepId: 'a', agent: 'architect', attempt: 1 }),
    );
    expect(apply(turn, event(2, { type: 'step.failed', stepId: 'a', agent: 'architect', error: 'x' }))).toBe(turn);
    expect(apply(turn, event(1, { type: 'agent.token', stepId: 'a', agent: 'architect', delta: 'old' }))).toBe(turn);
  });

  it('adds a step a revision inserted when it starts', () => {
    const turn = apply(
      emptyTurn(runId),
      plan,
      event(2, { type: 'step.started', stepId: 'fix-a', agent: 'debugger', attempt: 1 }),
    );
    expect(turn.steps.map((s) => [s.id, s.agent, s.status])).toContainEqual(['fix-a', 'debugger', 'RUNNING']);
  });

  it('counts discussion calls as rounds of the agent, not as steps', () => {
    const conflict = {
      id: 'c1',
      question: 'Pick',
      steps: ['a', 'b'],
      positions: [
        { agent: 'architect', step: 'a', position: 'rest' },
        { agent: 'security', step: 'b', position: 'graphql' },
      ],
      status: 'open',
      rounds: [],
      tally: [],
    };
    const turn = apply(
      emptyTurn(runId),
      plan,
      event(2, { type: 'conflict.detected', conflict } as never),
      event(3, { type: 'discussion.round.started', conflictId: 'c1', round: 1 }),
      event(4, {
        type: 'agent.attempt.started',
        stepId: 'c1.r1.architect',
        agent: 'architect',
        model: usage.model,
        attempt: 1,
      }),
      event(4, { type: 'agent.token', stepId: 'c1.r1.architect', agent: 'architect', delta: '{"ans' }),
    );
    expect(turn.steps).toHaveLength(2);
    expect(turn.steps[0]?.streamed).toBe('');
    expect(turn.agents[0]?.activity).toBe('round 1: answering');
    expect(turn.conflicts[0]).toMatchObject({ status: 'DISCUSSING', currentRound: 1, options: ['rest', 'graphql'] });
  });

  it('records who decided and carries on', () => {
    const turn = apply(
      { ...emptyTurn(runId), status: 'AWAITING_HUMAN' },
      event(2, {
        type: 'conflict.detected',
        conflict: { id: 'c1', question: 'q', steps: [], positions: [], status: 'escalated', rounds: [], tally: [] },
      } as never),
      event(3, { type: 'conflict.decided', conflictId: 'c1', position: 'rest', by: 'a person' }),
    );
    expect(turn.status).toBe('RUNNING');
    expect(turn.conflicts[0]).toMatchObject({
      status: 'RESOLVED',
      resolution: 'HUMAN',
      winner: 'rest',
      decidedBy: 'a person',
    });
  });

  it('reports a failed run and an exceeded budget', () => {
    const totals = { calls: 1, localCalls: 1, offlineCalls: 0, tokensIn: 1, tokensOut: 1, costUsd: 0, latencyMs: 1 };
    const turn = apply(
      emptyTurn(runId),
      event(2, { type: 'workflow.budget.exceeded', budget: 'cost', limit: 5, used: 6 }),
      event(3, { type: 'workflow.failed', error: 'over budget', usage: totals }),
    );
    expect(turn).toMatchObject({ status: 'FAILED', error: 'over budget', usage: { calls: 1, localShare: 1 } });
  });
});
