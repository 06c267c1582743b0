import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { createMemoryCallJournal } from '../adapters/memory-call-journal';
import { createMemoryEventPort } from '../adapters/memory-event-port';
import { builtinAgents } from '../agents/builtin-agents';
import { createOfflineModel, offlineModelRef } from '../models/offline-model';
import { createOfflinePlanner } from '../planning/offline-planner';
import type { ModelPort } from '../ports/model-port';
import { wireMachines } from '../wire-machines';

function offlineConversation() {
  const offline = createOfflineModel();
  const models: ModelPort = { chainFor: () => [offlineModelRef], complete: (r) => offline.complete(r), price: () => 0 };
  const events = createMemoryEventPort();
  const machines = wireMachines({
    models,
    journal: createMemoryCallJournal(),
    planner: createOfflinePlanner(),
    events,
  });
  const agents = [...builtinAgents];
  const actor = createActor(machines.conversation, {
    input: {
      conversationId: 'chat-1',
      agents,
      chains: Object.fromEntries(agents.map((a) => [a.id, [offlineModelRef]])),
    },
  }).start();
  return { actor, events };
}

const idleWith = (n: number) => (s: { value: unknown; context: { messages: unknown[] } }) =>
  s.value === 'idle' && s.context.messages.length === n;

describe('conversationMachine', () => {
  it('answers a single-mode message with the selected agent and labels the offline model', async () => {
    const { actor } = offlineConversation();
    actor.send({ type: 'message.send', text: 'Write Vitest unit tests for the cart reducer', mode: 'single' });
    const snap = await waitFor(actor, idleWith(2));
    const answer = snap.context.messages[1];
    expect(answer).toMatchObject({
      role: 'assistant',
      status: 'completed',
      agents: ['tester'],
      offline: true,
      runId: 'chat-1.t1',
    });
    expect(answer?.content).toContain('[offline model]');
  });

  it('uses the agent a person chose instead of selecting one', async () => {
    const { actor } = offlineConversation();
    actor.send({
      type: 'message.send',
      text: 'Write Vitest unit tests for the cart reducer',
      mode: 'single',
      agents: ['documenter'],
    });
    const snap = await waitFor(actor, idleWith(2));
    expect(snap.context.messages[1]?.agents).toEqual(['documenter']);
  });

  it('runs a multi-agent question through the mediator and resumes the turn on a person’s decision', async () => {
    // Deterministic offline model: these three agents each hold a different pick, so the vote escalates.
    const { actor, events } = offlineConversation();
    actor.send({
      type: 'message.send',
      text: 'Compare REST, GraphQL and gRPC for the public API',
      mode: 'multi',
      agents: ['architect', 'performance', 'security'],
    });
    const waiting = await waitFor(actor, (s) => s.context.awaiting !== undefined);
    const kinds = events.events.map((e) => e.type);
    expect(kinds.filter((k) => k === 'discussion.round.started')).toHaveLength(2);
    expect(kinds).toContain('discussion.escalated');
    const conflict = waiting.context.awaiting;
    expect(conflict?.status).toBe('escalated');
    expect(conflict?.tally.map((t) => t.position).sort()).toEqual(['graphql', 'grpc', 'rest']);
    actor.send({ type: 'conflict.decide', conflictId: conflict?.id ?? '', position: 'graphql', by: 'ana' });
    const snap = await waitFor(actor, idleWith(2));
    expect(snap.context.messages[1]).toMatchObject({
      status: 'completed',
      agents: ['architect', 'performance', 'security'],
    });
    expect(snap.context.messages[1]?.content).toMatch(/^Decision: graphql \(decided by ana\)/);
  });

  it('queues a message sent while a turn is running and answers it next', async () => {
    const { actor } = offlineConversation();
    actor.send({ type: 'message.send', text: 'Document the CLI flags', mode: 'single' });
    actor.send({ type: 'message.send', text: 'Deploy the API to staging', mode: 'single' });
    const snap = await waitFor(actor, idleWith(4));
    expect(snap.context.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(snap.context.messages[3]?.agents).toEqual(['deployer']);
  });
});
