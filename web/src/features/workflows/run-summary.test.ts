import { describe, expect, it } from 'vitest';
import type { TurnWorkflow, WorkflowFeed } from '@/lib/graphql/operations';
import type { RunEvent, Step } from '@/lib/graphql/schema-types';
import { runCost, runDuration, runOutcome, stepProgress } from './run-summary';
import { stepElapsed } from './step-status';
import { workflowRunReducer } from './use-workflow-run';

const usage = {
  calls: 0,
  localCalls: 0,
  offlineCalls: 0,
  localShare: 1,
  tokensIn: 0,
  tokensOut: 0,
  costUsd: 0,
  latencyMs: 0,
};
const step = (id: string, dependsOn: string[] = []): Step => ({
  id,
  agent: id,
  instruction: `do ${id}`,
  dependsOn,
  question: null,
  insertedFor: null,
  status: 'PENDING',
  error: null,
  startedAt: null,
  endedAt: null,
  elapsedMs: null,
  answer: null,
});
const planned: TurnWorkflow = {
  runId: 'run-1',
  conversationId: null,
  task: 'Implement it and test it',
  mode: 'WORKFLOW',
  state: 'planned',
  status: 'PLANNED',
  seq: 0,
  answer: '',
  error: '',
  offline: false,
  localShare: 1,
  usage,
  steps: [step('code'), step('test', ['code'])],
  conflicts: [],
  costBreakdown: [],
};
const t0 = Date.parse('2026-11-24T10:00:00Z');
const event = (seq: number, ms: number, data: Record<string, unknown>): WorkflowFeed => ({
  kind: 'EVENT',
  workflow: null,
  event: {
    runId: 'run-1',
    seq,
    at: new Date(t0 + ms).toISOString(),
    type: data.type as RunEvent['type'],
    stepId: (data.stepId as string) ?? null,
    agent: (data.agent as string) ?? null,
    delta: null,
    state: null,
    conflictId: null,
    data: { runId: 'run-1', seq, at: t0 + ms, ...data } as unknown as RunEvent['data'],
  },
});
const answer = {
  answer: 'done',
  position: 'done',
  confidence: 0.9,
  rationale: '',
  flag: 'none',
  usage: {
    model: 'offline:revo-offline',
    provider: 'offline',
    local: true,
    tokensIn: 1,
    tokensOut: 1,
    costUsd: 0.002,
    latencyMs: 5,
  },
};

describe('a run on the workflows page', () => {
  it('starts from the SNAPSHOT and turns steps running, then succeeded, as events arrive', () => {
    let state = workflowRunReducer(
      { turn: null, error: undefined, done: false },
      {
        type: 'item',
        item: { kind: 'SNAPSHOT', workflow: planned, event: null },
      },
    );
    expect(state.turn?.status).toBe('PLANNED');
    expect(stepProgress(state.turn as never)).toEqual({ done: 0, total: 2 });

    state = workflowRunReducer(state, {
      type: 'item',
      item: event(1, 0, { type: 'workflow.created', task: planned.task, mode: 'workflow' }),
    });
    state = workflowRunReducer(state, {
      type: 'item',
      item: event(2, 10, { type: 'step.started', stepId: 'code', agent: 'code', attempt: 1 }),
    });
    const turn = state.turn as NonNullable<typeof state.turn>;
    expect(turn.status).toBe('RUNNING');
    expect(turn.steps.map((s) => s.status)).toEqual(['RUNNING', 'PENDING']);
    // While it runs, its time counts up from its start.
    expect(stepElapsed(turn.steps[0] as Step, t0 + 1_510)).toBe(1_500);
    expect(runDuration(turn, t0 + 2_010)).toBe(2_000);

    state = workflowRunReducer(state, {
      type: 'item',
      item: event(3, 40, { type: 'step.completed', stepId: 'code', agent: 'code', answer }),
    });
    state = workflowRunReducer(state, {
      type: 'item',
      item: event(4, 50, { type: 'step.started', stepId: 'test', agent: 'test', attempt: 1 }),
    });
    state = workflowRunReducer(state, {
      type: 'item',
      item: event(5, 90, { type: 'step.completed', stepId: 'test', agent: 'test', answer }),
    });
    expect(runOutcome(state.turn as never, t0)).toBeNull();
    state = workflowRunReducer(state, {
      type: 'item',
      item: event(6, 95, {
        type: 'workflow.completed',
        answer: 'all done',
        usage: { ...usage, calls: 2, costUsd: 0.004 },
      }),
    });
    const ended = state.turn as NonNullable<typeof state.turn>;
    expect(ended.steps.map((s) => [s.status, s.elapsedMs])).toEqual([
      ['SUCCEEDED', 30],
      ['SUCCEEDED', 40],
    ]);
    expect(runCost(ended)).toBeCloseTo(0.004);
    expect(runOutcome(ended, t0 + 99_999)).toEqual({ succeeded: true, durationMs: 80, costUsd: 0.004 });
  });

  it('ignores an event before its SNAPSHOT, keeps the run on a resubscribe, and notes the end', () => {
    const before = workflowRunReducer(
      { turn: null, error: undefined, done: false },
      {
        type: 'item',
        item: event(1, 0, { type: 'workflow.created', task: 'x', mode: 'workflow' }),
      },
    );
    expect(before.turn).toBeNull();
    const loaded = workflowRunReducer(before, {
      type: 'item',
      item: { kind: 'SNAPSHOT', workflow: planned, event: null },
    });
    const again = workflowRunReducer(loaded, { type: 'reset' });
    expect(again.turn).toBe(loaded.turn);
    expect(workflowRunReducer(again, { type: 'done' }).done).toBe(true);
  });
});
