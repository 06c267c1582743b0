import { describe, expect, it } from 'vitest';
import { createActor, waitFor } from 'xstate';
import { createMemoryCallJournal } from '../adapters/memory-call-journal';
import { createMemoryEventPort } from '../adapters/memory-event-port';
import type { ModelRef } from '../ports/model-port';
import { answerJson, createFakeModelPort, createFixedPlanner, type FakeScript, fakeModel, testAgent } from '../testing';
import { wireMachines } from '../wire-machines';

const chain: ModelRef[] = [fakeModel('local-big'), fakeModel('local-small'), fakeModel('cloud', false)];

function runAgent(script: FakeScript, opts: { timeoutMs?: number; positions?: string[]; chain?: ModelRef[] } = {}) {
  const models = createFakeModelPort(script, { chain });
  const events = createMemoryEventPort();
  const { agent } = wireMachines({
    models: models.port,
    journal: createMemoryCallJournal(),
    planner: createFixedPlanner({ steps: [{ id: 's', agent: 'tester', instruction: 'x' }] }),
    events,
  });
  const actor = createActor(agent, {
    input: {
      runId: 'r',
      stepId: 's1',
      agent: testAgent('tester', opts.positions),
      prompt: 'check it',
      chain: opts.chain ?? chain,
      retry: { attemptsPerModel: 2, baseDelayMs: 1, maxDelayMs: 4 },
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    },
  }).start();
  return { actor, models, events, done: waitFor(actor, (s) => s.status === 'done') };
}

describe('agentMachine', () => {
  it('streams token deltas as events and answers with usage from the first model', async () => {
    const text = answerJson('pass', 0.9);
    const { done, events } = runAgent(() => ({ reply: text, tokens: [text.slice(0, 10), text.slice(10)] }));
    const snap = await done;
    expect(snap.value).toBe('succeeded');
    expect(snap.output).toMatchObject({
      ok: true,
      answer: { position: 'pass', confidence: 0.9, usage: { model: 'fake:local-big', local: true, costUsd: 0 } },
    });
    const tokens = events.events.filter((e) => e.type === 'agent.token').map((e) => (e as { delta: string }).delta);
    expect(tokens.join('')).toBe(text);
    expect(tokens).toHaveLength(2);
  });

  it('retries a transient error with backoff on the same model before falling back', async () => {
    const { done, models, events } = runAgent((_r, i) =>
      i < 1 ? { error: 'connection reset' } : { reply: answerJson('pass') },
    );
    const snap = await done;
    expect(snap.output?.ok).toBe(true);
    expect(models.calls.map((c) => c.model.id)).toEqual(['fake:local-big', 'fake:local-big']);
    expect(events.events.find((e) => e.type === 'agent.attempt.failed')).toMatchObject({
      retry: true,
      error: 'fake:local-big: connection reset',
    });
  });

  it('falls to the next model when a reply fails the answer schema', async () => {
    const { done, models, events } = runAgent((r) =>
      r.model.id === 'fake:local-big' ? { reply: '{"answer": "no position"}' } : { reply: answerJson('pass') },
    );
    const snap = await done;
    expect(snap.output).toMatchObject({ ok: true, answer: { usage: { model: 'fake:local-small' } } });
    expect(models.calls.map((c) => c.model.id)).toEqual(['fake:local-big', 'fake:local-small']);
    expect(events.events.find((e) => e.type === 'agent.model.fallback')).toMatchObject({
      from: 'fake:local-big',
      to: 'fake:local-small',
    });
  });

  it('rejects a position outside the agent’s allowed positions', async () => {
    const { done, models } = runAgent(
      (r) => ({ reply: answerJson(r.model.id === 'fake:local-big' ? 'maybe' : 'fail') }),
      {
        positions: ['pass', 'fail'],
      },
    );
    expect((await done).output).toMatchObject({ ok: true, answer: { position: 'fail' } });
    expect(models.calls).toHaveLength(2);
  });

  it('times out a hanging model, aborts its call, and walks the chain to a cloud model', async () => {
    const { done, models } = runAgent((r) => (r.model.local ? { hang: true } : { reply: answerJson('pass') }), {
      timeoutMs: 10,
    });
    const snap = await done;
    expect(snap.output).toMatchObject({ ok: true, answer: { usage: { model: 'fake:cloud', local: false } } });
    expect(models.calls.map((c) => c.model.id)).toEqual([
      'fake:local-big',
      'fake:local-big',
      'fake:local-small',
      'fake:local-small',
      'fake:cloud',
    ]);
    expect(models.aborted).toHaveLength(4);
    expect((snap.output as { ok: true; answer: { usage: { costUsd: number } } }).answer.usage.costUsd).toBeGreaterThan(
      0,
    );
  });

  it('fails with the last error when every model fails', async () => {
    const { done } = runAgent(() => ({ error: 'model "x" not found', transient: false }));
    const snap = await done;
    expect(snap.value).toBe('failed');
    expect(snap.output).toEqual({ ok: false, error: 'fake:cloud: model "x" not found' });
  });

  it('fails at once with a clear error when no model is available', async () => {
    const { done } = runAgent(() => ({ reply: answerJson('pass') }), { chain: [] });
    expect((await done).output).toEqual({ ok: false, error: 'no model is available for this agent' });
  });
});
