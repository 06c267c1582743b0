import { describe, expect, it } from 'vitest';
import type { ConversationFeed } from '@/lib/graphql/operations';
import { emptyFeed, feedReducer, liveTurn, turnPhase } from './conversation-feed';
import multiFeed from './fixtures/multi-turn.json';
import singleFeed from './fixtures/single-turn.json';
import workflowFeed from './fixtures/workflow-turn.json';
import { streamedAnswer } from './streamed-answer';

// Feeds recorded from a real offline reVo server (REVO_OFFLINE=1): the SNAPSHOT, then every event.
const single = singleFeed as unknown as ConversationFeed[];
const multi = multiFeed as unknown as ConversationFeed[];
const workflow = workflowFeed as unknown as ConversationFeed[];

const replay = (items: ConversationFeed[], state = emptyFeed()) => feedReducer(state, { type: 'items', items });
const indexOf = (items: ConversationFeed[], type: string) => items.findIndex((i) => i.event?.type === type);

describe('feedReducer', () => {
  it('starts from the snapshot', () => {
    const state = replay(single.slice(0, 1));
    expect(state.snapshots).toBe(1);
    expect(state.conversation?.status).toBe('IDLE');
    expect(state.messages).toEqual([]);
  });

  it('streams a single answer token by token and ends with the whole answer', () => {
    let state = emptyFeed();
    const seen: string[] = [];
    for (const item of single) {
      state = replay([item], state);
      const step = state.latestRunId ? state.turns[state.latestRunId]?.steps[0] : undefined;
      const text = step ? streamedAnswer(step.streamed).text : '';
      if (text && text !== seen.at(-1)) seen.push(text);
    }
    expect(seen.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.startsWith(seen[i - 1] as string)).toBe(true);
    const turn = state.turns[state.latestRunId as string];
    expect(seen.at(-1)).toBe(turn?.steps[0]?.answer?.answer);
    expect(turn).toMatchObject({ status: 'COMPLETED', offline: true, mode: 'SINGLE' });
    expect(turn?.agents).toEqual([
      expect.objectContaining({ agent: 'code-generator', phase: 'done', model: 'offline:revo-offline' }),
    ]);
  });

  it('adds the answer message, with its cost and offline flag, and the turn stops being live', () => {
    const beforeAnswer = replay(single.slice(0, -1));
    expect(liveTurn(beforeAnswer)?.status).toBe('COMPLETED');
    const state = replay(single);
    expect(state.messages.map((m) => m.role)).toEqual(['USER', 'ASSISTANT']);
    expect(state.messages[1]).toMatchObject({
      mode: 'SINGLE',
      status: 'COMPLETED',
      offline: true,
      agents: ['code-generator'],
      usage: expect.objectContaining({ costUsd: 0, calls: 1, localShare: 1 }),
    });
    expect(liveTurn(state)).toBeNull();
    expect(state.conversation?.status).toBe('IDLE');
  });

  it('follows a disagreement: positions, rounds, the vote, escalation to a person', () => {
    const state = replay(multi.slice(0, indexOf(multi, 'workflow.awaiting.human') + 1));
    const turn = liveTurn(state);
    expect(turn && turnPhase(turn)).toBe('awaiting');
    expect(turn?.steps.map((s) => [s.agent, s.answer?.position])).toEqual([
      ['architect', 'rest'],
      ['performance', 'grpc'],
      ['security', 'graphql'],
    ]);
    const conflict = turn?.conflicts[0];
    expect(conflict).toMatchObject({ status: 'ESCALATED', options: ['rest', 'grpc', 'graphql'], currentRound: null });
    expect(conflict?.discussion.rounds.map((r) => r.round)).toEqual([1, 2]);
    expect(conflict?.discussion.rounds[0]?.stances).toHaveLength(3);
    expect(conflict?.tally.map((t) => t.position)).toEqual(['rest', 'graphql', 'grpc']);
    expect(state.conversation).toMatchObject({
      status: 'AWAITING_HUMAN',
      awaiting: expect.objectContaining({ id: 'c1' }),
    });
    // Discussion calls are agents' activity, not steps of the plan.
    expect(turn?.steps).toHaveLength(3);
  });

  it('shows a round as under way between its start and its end', () => {
    const state = replay(multi.slice(0, indexOf(multi, 'discussion.round.started') + 1));
    expect(liveTurn(state)?.conflicts[0]).toMatchObject({ status: 'DISCUSSING', currentRound: 1 });
  });

  it('carries on after the decision and completes with the decided answer', () => {
    const state = replay(multi);
    const turn = state.turns[state.latestRunId as string];
    expect(turn?.conflicts[0]).toMatchObject({ status: 'RESOLVED', resolution: 'HUMAN', winner: 'graphql' });
    expect(turn?.status).toBe('COMPLETED');
    expect(state.messages.at(-1)?.content).toMatch(/^Decision: graphql \(decided by a person\)/);
    expect(state.conversation).toMatchObject({ status: 'IDLE', awaiting: null });
    expect(turn?.agents.every((a) => a.phase === 'done')).toBe(true);
  });

  it('draws a workflow as its planned steps, in order, each with its answer', () => {
    const turn = Object.values(replay(workflow).turns)[0];
    expect(turn?.mode).toBe('WORKFLOW');
    expect(turn?.steps.map((s) => [s.id, s.dependsOn, s.status])).toEqual([
      ['code-generator', [], 'SUCCEEDED'],
      ['tester', ['code-generator'], 'SUCCEEDED'],
      ['deployer', ['tester'], 'SUCCEEDED'],
    ]);
  });

  it('ignores an event it already applied (no duplicate message, round or token)', () => {
    const once = replay(multi);
    const twice = replay(multi.slice(1), once);
    expect(twice.messages).toHaveLength(once.messages.length);
    const turn = twice.turns[twice.latestRunId as string];
    expect(turn?.conflicts[0]?.discussion.rounds).toHaveLength(2);
    expect(turn?.steps[0]?.streamed).toBe(once.turns[once.latestRunId as string]?.steps[0]?.streamed);
  });

  it('settles a turn that ended while the socket was down from the next snapshot', () => {
    const midway = replay(single.slice(0, indexOf(single, 'step.started') + 1));
    expect(liveTurn(midway)?.status).toBe('RUNNING');
    const final = replay(single);
    const snapshot: ConversationFeed = {
      kind: 'SNAPSHOT',
      event: null,
      workflow: null,
      conversation: {
        ...(single[0]?.conversation as NonNullable<ConversationFeed['conversation']>),
        messages: final.messages,
      },
    };
    const after = replay([snapshot], midway);
    expect(after.snapshots).toBe(2);
    expect(after.turns[after.latestRunId as string]?.status).toBe('COMPLETED');
    expect(liveTurn(after)).toBeNull();
  });

  it('starts over for another conversation', () => {
    expect(feedReducer(replay(single), { type: 'reset', conversationId: 'c-2' })).toEqual(emptyFeed('c-2'));
  });
});
