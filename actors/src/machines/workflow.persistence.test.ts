import { describe, expect, it } from 'vitest';
import { type Snapshot, createActor, waitFor } from 'xstate';
import { createMemoryCallJournal } from '../adapters/memory-call-journal';
import { createMemoryEventPort } from '../adapters/memory-event-port';
import type { CallJournal } from '../ports/call-journal';
import { answerJson, createFakeModelPort, createFixedPlanner, testAgents } from '../testing';
import { wireMachines } from '../wire-machines';

const agents = testAgents('coder', 'tester', 'writer');
const plan = {
  steps: [
    { id: 'a', agent: 'coder', instruction: 'a' },
    { id: 'b', agent: 'tester', instruction: 'b', dependsOn: ['a'] },
    { id: 'c', agent: 'writer', instruction: 'c', dependsOn: ['a'] },
    { id: 'd', agent: 'coder', instruction: 'd', dependsOn: ['b', 'c'] },
  ],
};
const stepOf = (prompt: string) => /Your step \((\w)\)/.exec(prompt)?.[1] ?? '?';

describe('workflow snapshot persistence', () => {
  it('restores mid-run from a persisted snapshot and replays recorded replies instead of calling the model again', async () => {
    const models = createFakeModelPort((r) => ({
      reply: answerJson(`${r.agent} ok`),
      delayMs: stepOf(r.prompt) === 'b' ? 5 : 0,
    }));
    const planner = createFixedPlanner(plan);
    const input = {
      runId: 'persist-1',
      task: 'persist me',
      agents,
      chains: Object.fromEntries(agents.map((a) => [a.id, models.port.chainFor(a)])),
    };
    const store = createMemoryCallJournal();
    // The process dies right after b's reply is recorded, before the machine learns of it.
    let die: () => void = () => {};
    const died = new Promise<void>((resolve) => (die = resolve));
    const journal: CallJournal = {
      get: (key) => store.get(key),
      put: async (key, entry) => {
        await store.put(key, entry);
        if (key.stepId === 'b') die();
      },
    };
    const first = wireMachines({ models: models.port, journal, planner, events: createMemoryEventPort() });
    const actor = createActor(first.workflow, { input });
    // As the actor host does: persist after every transition.
    let persisted: Snapshot<unknown> | undefined;
    actor.subscribe(() => {
      persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    });
    actor.start();
    await died;
    actor.stop();
    expect(models.calls.map((c) => stepOf(c.prompt)).sort()).toEqual(['a', 'b', 'c']);

    const second = wireMachines({ models: models.port, journal: store, planner, events: createMemoryEventPort() });
    const restored = createActor(second.workflow, { input, snapshot: persisted }).start();
    expect(restored.getSnapshot().context.steps.b?.status).toBe('running');
    expect(restored.getSnapshot().context.steps.c?.status).toBe('succeeded');
    const done = await waitFor(restored, (s) => s.status === 'done');
    expect(done.output?.status).toBe('completed');
    expect(done.output?.steps.b?.answer?.answer).toBe('answer: tester ok');
    expect(models.calls.map((c) => stepOf(c.prompt)).sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('timers across a restore (regression: XState does not persist `after` timers)', () => {
  it('carries on a step restored while it was backing off before a retry', async () => {
    const models = createFakeModelPort((_, n) =>
      n === 0 ? { error: 'connection reset' } : { reply: answerJson('ok') },
    );
    const input = {
      runId: 'backoff-1',
      task: 'one step',
      agents: testAgents('coder'),
      chains: { coder: models.port.chainFor(testAgents('coder')[0] as never) },
      plan: {
        steps: [{ id: 'a', agent: 'coder', instruction: 'a', dependsOn: [] }],
        rationale: '',
        planner: 'test',
      } as never,
      options: { retry: { attemptsPerModel: 2, baseDelayMs: 300, maxDelayMs: 300 } },
    };
    const events = createMemoryEventPort();
    const first = wireMachines({
      models: models.port,
      journal: createMemoryCallJournal(),
      planner: createFixedPlanner(plan),
      events,
    });
    const actor = createActor(first.workflow, { input }).start();
    const failed = new Promise<void>((resolve) =>
      events.subscribe((e) => {
        if (e.type === 'agent.attempt.failed') queueMicrotask(resolve);
      }),
    );
    await failed;
    const persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();
    expect(JSON.stringify(persisted)).toContain('backoff');

    const second = wireMachines({
      models: models.port,
      journal: createMemoryCallJournal(),
      planner: createFixedPlanner(plan),
      events: createMemoryEventPort(),
    });
    const restored = createActor(second.workflow, { input, snapshot: persisted }).start();
    const done = await waitFor(restored, (s) => s.status === 'done', { timeout: 3_000 });
    expect(done.output?.status).toBe('completed');
    expect(models.calls).toHaveLength(2);
  });
});
