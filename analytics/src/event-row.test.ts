import { type RunEvent, builtinAgents } from '@revo/actors';
import { describe, expect, it } from 'vitest';
import { eventRows } from './event-row';
import { createRowContext } from './row-context';

const at = 1_760_000_000_000;
const usage = {
  model: 'ollama:llama3.1:8b',
  provider: 'ollama' as const,
  local: true,
  tokensIn: 120,
  tokensOut: 80,
  costUsd: 0,
  latencyMs: 950,
};

describe('eventRows', () => {
  it('flattens a completed step into the columns the queries read, keeping the whole event', () => {
    const event = {
      type: 'step.completed',
      runId: 'c-1.t2',
      stepId: 's1',
      agent: 'tester',
      answer: { answer: 'ok', position: 'pass', confidence: 0.9, rationale: '', flag: 'none', usage },
      at,
      seq: 7,
    } as RunEvent;
    const [row] = eventRows(event);
    expect(row).toMatchObject({
      event_id: 'c-1.t2/7',
      conversation_id: 'c-1',
      agent: 'tester',
      model: 'ollama:llama3.1:8b',
      local: 1,
      tokens_in: 120,
      latency_ms: 950,
      outcome: 'succeeded',
      position: 'pass',
    });
    expect(JSON.parse(row?.payload ?? '{}')).toEqual(event);
  });

  it('makes one row per stance of a discussion round, each with its own id, and none for token deltas', () => {
    const round = {
      type: 'discussion.round.completed',
      runId: 'r',
      conflictId: 'c1',
      round: {
        round: 1,
        stances: [
          { agent: 'architect', position: 'rest', confidence: 0.6, rationale: '', answer: '' },
          { agent: 'security', position: 'grpc', confidence: 0.7, rationale: '', answer: '' },
        ],
      },
      at,
      seq: 3,
    } as RunEvent;
    const rows = eventRows(round);
    expect(rows.map((r) => [r.event_id, r.agent, r.position, r.round])).toEqual([
      ['r/3/0', 'architect', 'rest', 1],
      ['r/3/1', 'security', 'grpc', 1],
    ]);
    expect(eventRows({ type: 'agent.token', runId: 'r', stepId: 's', agent: 'a', delta: 'x', at, seq: 3 })).toEqual([]);
  });

  it("names the capability a step's instruction called on, from the run's plan", () => {
    const context = createRowContext(builtinAgents);
    const planned = {
      type: 'workflow.planned',
      runId: 'r2',
      plan: {
        steps: [
          {
            id: 'fix',
            agent: 'debugger',
            instruction: 'Find the root cause of the crash from the stack trace',
            dependsOn: [],
          },
        ],
        rationale: '',
        planner: 'offline',
      },
      at,
      seq: 2,
    } as unknown as RunEvent;
    eventRows(planned, context);
    const [row] = eventRows(
      { type: 'step.failed', runId: 'r2', stepId: 'fix', agent: 'debugger', error: 'x', at, seq: 5 },
      context,
    );
    const debuggerProfile = builtinAgents.find((a) => a.id === 'debugger');
    expect(debuggerProfile?.capabilities.map((c) => c.name)).toContain(row?.capability);
    expect(row?.outcome).toBe('failed');
    const [created] = eventRows(
      { type: 'workflow.created', runId: 'r3', task: 'Fix the crash in checkout', mode: 'workflow', at, seq: 1 },
      context,
    );
    expect(created?.task_category).toBe('debugger');
  });
});
