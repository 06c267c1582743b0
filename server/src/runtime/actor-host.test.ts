import { Plan, createMemoryCallJournal, createMemoryEventBus, createMemoryRunStore } from '@revo/actors';
import { describe, expect, it, vi } from 'vitest';
import { createGatedModel } from '../testing/gated-model';
import { type TestApi, createTestApi } from '../testing/test-api';

const plan = Plan.parse({
  steps: [
    { id: 'a', agent: 'architect', instruction: 'a' },
    { id: 'b', agent: 'code-generator', instruction: 'b', dependsOn: ['a'] },
    { id: 'c', agent: 'tester', instruction: 'c', dependsOn: ['b'] },
  ],
  planner: 'person',
});

describe('the actor host', () => {
  it('persists live runs on a graceful stop and carries them on after a restart, without paying for a call twice', async () => {
    const ports = { store: createMemoryRunStore(), bus: createMemoryEventBus(), journal: createMemoryCallJournal() };
    const model = createGatedModel();
    model.hold('b');
    const first = await createTestApi({ models: model.port, ports });
    const started = await first.api.runWorkflow({ task: 'three steps', plan });
    const conversation = await first.api.startConversation('chat');
    await model.reached('b');
    await first.host.close();
    expect(model.calls.map((c) => c.agent)).toEqual(['architect', 'code-generator']);
    const saved = await ports.store.loadActors();
    expect(saved.map((s) => s.kind).sort()).toEqual(['conversation', 'workflow']);

    const again = createGatedModel();
    const second = await createTestApi({ models: again.port, ports });
    expect(await second.host.restore()).toEqual({ workflows: 1, conversations: 1 });
    const done = await second.settled(started.runId);
    expect(done?.status).toBe('completed');
    expect(done?.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    // a's reply was recorded before the stop: replayed, not bought again. b was cut off: asked again.
    expect(again.calls.map((c) => c.agent)).toEqual(['code-generator', 'tester']);
    const seqs = (await ports.bus.history(started.runId)).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect((await ports.store.loadActors()).map((s) => s.kind)).toEqual(['conversation']);
    const chat = await second.api.sendMessage({ conversationId: conversation.id, text: 'Document the API' });
    expect(chat.runId).toBe(`${conversation.id}.t1`);
    await second.host.close();
  });

  it('forgets a finished run from memory: journal entries and its live record', async () => {
    const journal = createMemoryCallJournal();
    const t = await createTestApi({ ports: { journal } });
    const run = await t.api.runWorkflow({ task: 'Write a slugify function' });
    const done = await t.settled(run.runId);
    expect(done?.status).toBe('completed');
    expect(journal.size).toBe(0);
    expect(t.host.liveWorkflow(run.runId)).toBeUndefined();
    expect((await t.api.workflow(run.runId))?.status).toBe('completed');
    await t.host.close();
  });
});

describe('conversation records', () => {
  it('keep the time of their last change, not the time they are read (regression: always "just now")', async () => {
    let clock = 1_000;
    const t = await createTestApi({ ports: { now: () => clock } });
    const conversation = await t.api.startConversation('timed');
    clock = 5_000;
    expect((await t.api.conversation(conversation.id))?.updatedAt).toBe(conversation.updatedAt);
    await t.host.close();
  });
});

describe('agent status', () => {
  it('counts the calls of runs on another replica that shares the event bus', async () => {
    const bus = createMemoryEventBus();
    const here = await createTestApi({ ports: { bus } });
    const there = await createTestApi({ ports: { bus } });
    const run = await there.api.runWorkflow({ task: 'Write a slugify function' });
    const done = await there.settled(run.runId);
    const calls = (t: TestApi) => t.host.agentStatuses().reduce((sum, s) => sum + s.calls, 0);
    const made = done?.usage.calls ?? 0;
    expect(made).toBeGreaterThan(0);
    // Each call once on either side: the replica that ran it does not count the bus's echo again.
    await vi.waitFor(() => expect(calls(here)).toBe(made));
    await there.host.flush();
    expect(calls(there)).toBe(made);
    expect(here.host.agentStatuses().every((s) => s.state === 'idle')).toBe(true);
    await here.host.close();
    await there.host.close();
  });
});
