import type { ModelRef } from '@revo/actors';
import { createFakeModelPort, fakeModel } from '@revo/actors/testing';
import { describe, expect, it } from 'vitest';
import {
  AgentLimitsSetting,
  type ConcurrencyGate,
  type GatedCall,
  ModelLimitsSetting,
  createLocalGate,
  parseConcurrencyLimits,
  slotsFor,
  withGate,
} from './concurrency';

const llama: ModelRef = { id: 'ollama:llama3.1:8b', provider: 'ollama', name: 'llama3.1:8b', local: true };
const qwen: ModelRef = { id: 'ollama:qwen2.5:7b', provider: 'ollama', name: 'qwen2.5:7b', local: true };

/** Lets every queued promise callback run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A task the test finishes by hand, so it can look at the gate between steps. */
function heldTask() {
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let started = false;
  return {
    fn: async () => {
      started = true;
      await finished;
    },
    finish,
    get started() {
      return started;
    },
  };
}

/** Runs held tasks through `gate` and tracks how many run at once per label. */
function tracker(gate: ConcurrencyGate) {
  const now = new Map<string, number>();
  const peak = new Map<string, number>();
  const order: string[] = [];
  const run = (call: GatedCall, label: string, labels: string[], signal?: AbortSignal) => {
    const task = heldTask();
    const done = gate.run(
      call,
      async () => {
        order.push(label);
        for (const l of labels) {
          now.set(l, (now.get(l) ?? 0) + 1);
          peak.set(l, Math.max(peak.get(l) ?? 0, now.get(l) ?? 0));
        }
        try {
          await task.fn();
        } finally {
          for (const l of labels) now.set(l, (now.get(l) ?? 0) - 1);
        }
        return label;
      },
      signal,
    );
    return {
      done,
      finish: task.finish,
      get started() {
        return task.started;
      },
    };
  };
  return { run, peak, order };
}

describe('concurrency limits', () => {
  it('parse providers, model ids, agents and the * default', () => {
    expect(parseConcurrencyLimits({ models: 'ollama=4, ollama:llama3.1:8b=1', agents: 'coder=4,*=8' })).toEqual({
      models: { ollama: 4, 'ollama:llama3.1:8b': 1 },
      agents: { coder: 4, '*': 8 },
    });
    expect(parseConcurrencyLimits({})).toEqual({ models: {}, agents: {} });
    expect(parseConcurrencyLimits({ models: ' , ', agents: '' })).toEqual({ models: {}, agents: {} });
  });

  it('reject bad entries with an error naming each of them', () => {
    const bad = () => parseConcurrencyLimits({ models: 'olama=4,ollama=x,ollama:=2', agents: 'Coder=1,*=0,tester' });
    expect(bad).toThrow(/model limits: "olama=4": name a provider/);
    expect(bad).toThrow(/"ollama=x": the max is a whole number/);
    expect(bad).toThrow(/"ollama:=2": name a provider/);
    expect(bad).toThrow(/agent limits: "Coder=1": agent ids are kebab-case/);
    expect(bad).toThrow(/"\*=0": the max is at least 1/);
    expect(bad).toThrow(/"tester": write <name>=<max>/);
    expect(() => parseConcurrencyLimits({ agents: 'coder=1,coder=2' })).toThrow(/"coder=2": named twice/);
    expect(() => parseConcurrencyLimits({ models: 'ollama=2.5' })).toThrow(/"ollama=2.5": the max is a whole number/);
  });

  it('work as zod settings env.ts can use', () => {
    expect(ModelLimitsSetting.parse('openai=2')).toEqual({ openai: 2 });
    expect(AgentLimitsSetting.safeParse('coder=').success).toBe(false);
  });

  it('name the model, the provider and the agent a call counts against', () => {
    const limits = parseConcurrencyLimits({ models: 'ollama=4,ollama:llama3.1:8b=1', agents: 'coder=2,*=8' });
    expect(slotsFor({ model: llama, agent: 'coder' }, limits)).toEqual([
      { name: 'model:ollama:llama3.1:8b', max: 1 },
      { name: 'provider:ollama', max: 4 },
      { name: 'agent:coder', max: 2 },
    ]);
    expect(slotsFor({ model: qwen, agent: 'tester' }, limits)).toEqual([
      { name: 'provider:ollama', max: 4 },
      { name: 'agent:tester', max: 8 },
    ]);
    expect(slotsFor({ model: fakeModel('x'), agent: 'tester' }, { models: {}, agents: {} })).toEqual([]);
  });
});

describe('createLocalGate', () => {
  it('never runs more than each limit allows, and runs everything in the end', async () => {
    const limits = parseConcurrencyLimits({ models: 'ollama=3,ollama:llama3.1:8b=1', agents: 'coder=2' });
    const { run, peak } = tracker(createLocalGate(limits));
    const tasks = Array.from({ length: 12 }, (_, i) => {
      const model = i % 4 === 0 ? llama : qwen;
      const agent = i % 3 === 0 ? 'coder' : 'tester';
      return run({ model, agent }, `t${i}`, [model.id, 'ollama', agent]);
    });
    // Finish whatever runs, until all have run: the gate must keep starting the next ones.
    const pending = new Set(tasks);
    while (pending.size > 0) {
      await flush();
      const runningNow = [...pending].filter((t) => t.started);
      expect(runningNow.length).toBeGreaterThan(0);
      for (const t of runningNow) {
        t.finish();
        pending.delete(t);
      }
      await Promise.all(runningNow.map((t) => t.done));
    }
    expect(peak.get(llama.id)).toBe(1);
    expect(peak.get('ollama')).toBeLessThanOrEqual(3);
    expect(peak.get('ollama')).toBeGreaterThan(1);
    expect(peak.get('coder')).toBeLessThanOrEqual(2);
  });

  it('starts waiters in arrival order, even when a later one would fit sooner', async () => {
    const gate = createLocalGate(parseConcurrencyLimits({ agents: 'coder=1,tester=1' }));
    const { run, order } = tracker(gate);
    const first = run({ model: llama, agent: 'coder' }, 'first', []);
    const second = run({ model: llama, agent: 'coder' }, 'second', []);
    const third = run({ model: llama, agent: 'coder' }, 'third', []);
    const other = run({ model: llama, agent: 'tester' }, 'other', []);
    await flush();
    // Another agent's limit is not held up by the coder queue.
    expect(order).toEqual(['first', 'other']);
    first.finish();
    await first.done;
    await flush();
    expect(order).toEqual(['first', 'other', 'second']);
    second.finish();
    third.finish();
    other.finish();
    expect(await Promise.all([second.done, third.done, other.done])).toEqual(['second', 'third', 'other']);
    expect(order).toEqual(['first', 'other', 'second', 'third']);
  });

  it('does not let a call past an earlier waiter on a shared limit', async () => {
    const gate = createLocalGate(parseConcurrencyLimits({ models: 'ollama=1', agents: 'coder=1' }));
    const { run, order } = tracker(gate);
    const a = run({ model: fakeModel('x'), agent: 'coder' }, 'a', []);
    const b = run({ model: llama, agent: 'coder' }, 'b', []); // waits on coder, would hold ollama
    const c = run({ model: llama, agent: 'tester' }, 'c', []); // ollama is free, but b came first
    await flush();
    expect(order).toEqual(['a']);
    a.finish();
    await a.done;
    await flush();
    expect(order).toEqual(['a', 'b']);
    b.finish();
    c.finish();
    await Promise.all([b.done, c.done]);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('drops a waiter whose signal aborts, rejecting with the reason, and lets the next one in', async () => {
    const gate = createLocalGate(parseConcurrencyLimits({ agents: '*=1' }));
    const { run, order } = tracker(gate);
    const first = run({ model: llama, agent: 'coder' }, 'first', []);
    const controller = new AbortController();
    const dropped = run({ model: llama, agent: 'coder' }, 'dropped', [], controller.signal);
    const last = run({ model: llama, agent: 'coder' }, 'last', []);
    controller.abort(new Error('deadline'));
    await expect(dropped.done).rejects.toThrow('deadline');
    first.finish();
    await first.done;
    last.finish();
    await last.done;
    expect(order).toEqual(['first', 'last']);
    const aborted = AbortSignal.abort(new Error('already'));
    await expect(gate.run({ model: llama, agent: 'coder' }, async () => 1, aborted)).rejects.toThrow('already');
  });

  it('frees the slot when the call throws', async () => {
    const gate = createLocalGate(parseConcurrencyLimits({ agents: '*=1' }));
    await expect(
      gate.run({ model: llama, agent: 'coder' }, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await gate.run({ model: llama, agent: 'coder' }, async () => 'next')).toBe('next');
  });
});

describe('withGate', () => {
  it('runs model calls through the gate and leaves chains and prices alone', async () => {
    const fake = createFakeModelPort(() => ({ reply: 'ok', delayMs: 5 }));
    const port = withGate(fake.port, createLocalGate(parseConcurrencyLimits({ agents: 'coder=1' })));
    const request = (agent: string) => ({
      model: fakeModel('primary'),
      agent,
      system: '',
      prompt: 'p',
      jsonSchema: {},
      signal: new AbortController().signal,
    });
    const replies = await Promise.all([
      port.complete(request('coder')),
      port.complete(request('coder')),
      port.complete(request('coder')),
    ]);
    expect(replies.map((r) => r.text)).toEqual(['ok', 'ok', 'ok']);
    expect(fake.load.peak).toBe(1);
    await Promise.all([port.complete(request('tester')), port.complete(request('tester'))]);
    expect(fake.load.peak).toBe(2);
    expect(port.price(fakeModel('x', false), 500, 500)).toBe(fake.port.price(fakeModel('x', false), 500, 500));
  });
});
