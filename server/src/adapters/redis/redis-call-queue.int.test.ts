import { type CallKey, type ModelRequest, TransientModelError, callKeyString } from '@revo/actors';
import { createFakeModelPort, fakeModel } from '@revo/actors/testing';
import { beforeAll, expect, it, vi } from 'vitest';
import { createLocalGate, parseConcurrencyLimits } from '../../runtime/concurrency';
import { heldModel, keyOf, request, until, useCallQueue } from '../../testing/call-queue-harness';
import { describeWithRedis } from '../../testing/redis-server';
import type { RedisClient } from './redis-client';

describeWithRedis('redis call queue', (server) => {
  const queue = useCallQueue(server);
  const { freshPrefix, connect, port, worker, logs, untilListening, cancelsUntilProbe } = queue;
  let admin: RedisClient;
  beforeAll(() => {
    admin = queue.admin;
  });

  it('runs a call on a worker and returns its reply, with the tokens in order', async () => {
    const prefix = freshPrefix();
    const model = createFakeModelPort(() => ({ reply: 'one two three', tokens: ['one ', 'two ', 'three'] }));
    await worker(prefix, model.port);
    const tokens: string[] = [];
    const reply = await (await port(prefix)).complete(request('s1', { onToken: (delta) => tokens.push(delta) }));
    expect(reply.text).toBe('one two three');
    expect(tokens).toEqual(['one ', 'two ', 'three']);
    expect(model.calls.map((r) => [r.prompt, r.key])).toEqual([['do s1', keyOf('s1')]]);
    // Acknowledged and deleted (just after the reply went out): nothing waits in the stream.
    await until(async () => expect(await admin.xLen(`${prefix}calls`)).toBe(0));
    // What stays: the stream (with its group) and the stored result; marker and lock are gone.
    await until(async () =>
      expect((await admin.keys(`${prefix}*`)).sort()).toEqual([`${prefix}call-result:r1/s1/coder/1`, `${prefix}calls`]),
    );
    expect(JSON.parse((await admin.get(`${prefix}call-result:r1/s1/coder/1`)) ?? '{}')).toEqual({ ok: reply });
    expect(await admin.ttl(`${prefix}call-result:r1/s1/coder/1`)).toBeGreaterThan(6 * 24 * 3600);
  });

  it('makes its group again when the stream is deleted under it, and takes the calls sent after', async () => {
    const prefix = freshPrefix();
    const model = createFakeModelPort(() => ({ reply: 'ok' }));
    await worker(prefix, model.port, { blockMs: 200 });
    const remote = await port(prefix);
    expect((await remote.complete(request('s1'))).text).toBe('ok');
    await admin.del(`${prefix}calls`);
    expect((await remote.complete(request('s2'))).text).toBe('ok');
    expect(model.calls.map((r) => r.prompt)).toEqual(['do s1', 'do s2']);
    expect(logs).toContainEqual(expect.stringMatching(/group workers of .*calls was gone .*: made it again/));
    expect(logs.filter((line) => line.includes('reading calls failed'))).toEqual([]);
  });

  it('shares calls between workers', async () => {
    const prefix = freshPrefix();
    const [a, b] = [heldModel(), heldModel()];
    await worker(prefix, a.port, { pool: 1 });
    await worker(prefix, b.port, { pool: 1 });
    const remote = await port(prefix);
    const replies = Promise.all([remote.complete(request('s1')), remote.complete(request('s2'))]);
    await until(() => expect([a.calls.length, b.calls.length]).toEqual([1, 1]));
    a.finishAll();
    b.finishAll();
    expect((await replies).map((r) => r.text).sort()).toEqual(['reply to do s1', 'reply to do s2']);
  });

  it('calls the model once for a key two replicas submit', async () => {
    const prefix = freshPrefix();
    const model = heldModel();
    const w = await worker(prefix, model.port);
    const [first, second] = [await port(prefix), await port(prefix)];
    const one = first.complete(request('s1'));
    await until(() => expect(model.calls).toHaveLength(1));
    const two = second.complete(request('s1'));
    await untilListening(prefix, 's1', 2);
    model.finishAll();
    expect((await one).text).toBe('reply to do s1');
    expect(await two).toEqual(await one);
    expect(model.calls).toHaveLength(1);
    await until(() => expect(w.stats().completed).toBe(1));
  });

  it('answers a call whose result is stored without calling the model', async () => {
    const prefix = freshPrefix();
    const model = heldModel();
    const w = await worker(prefix, model.port);
    const stored = { text: 'stored', tokensIn: 1, tokensOut: 2 };
    await admin.set(`${prefix}call-result:r1/s1/coder/1`, JSON.stringify({ ok: stored }));
    await admin.set(`${prefix}call-result:r1/s2/coder/1`, JSON.stringify({ error: 'rate limited', transient: true }));
    const remote = await port(prefix);
    expect(await remote.complete(request('s1'))).toEqual(stored);
    await expect(remote.complete(request('s2'))).rejects.toBeInstanceOf(TransientModelError);
    // A worker that reads an entry for a stored call publishes the result instead of running it.
    const heard: string[] = [];
    const listener = await connect();
    await listener.subscribe(`${prefix}call:r1/s1/coder/1`, (message) => heard.push(message));
    const call = {
      key: keyOf('s1'),
      model: fakeModel('primary'),
      agent: 'coder',
      system: '',
      prompt: '',
      jsonSchema: {},
    };
    await admin.xAdd(`${prefix}calls`, '*', { call: JSON.stringify(call) });
    await until(() => expect(heard).toEqual([JSON.stringify({ type: 'done', reply: stored })]));
    await until(async () => expect(await admin.xLen(`${prefix}calls`)).toBe(0));
    expect(model.calls).toHaveLength(0);
    await until(() => expect(w.stats().completed).toBe(1));
  });

  it('hands the call of a worker that died to another worker, which asks the model once', async () => {
    const prefix = freshPrefix();
    const [dying, taking] = [heldModel(), createFakeModelPort(() => ({ reply: 'from the second worker' }))];
    const first = await worker(prefix, dying.port, { reclaimMs: 300 });
    const reply = (await port(prefix)).complete(request('s1'));
    await until(() => expect(dying.calls).toHaveLength(1));
    first.crash();
    const second = await worker(prefix, taking.port, { reclaimMs: 300 });
    expect((await reply).text).toBe('from the second worker');
    expect(taking.calls).toHaveLength(1);
    expect(second.stats().reclaimed).toBeGreaterThanOrEqual(1);
    await until(async () => expect(await admin.xLen(`${prefix}calls`)).toBe(0));
  });

  it('keeps a running call from being reclaimed while its worker lives', async () => {
    const prefix = freshPrefix();
    const [model, other] = [heldModel(), createFakeModelPort(() => ({ reply: 'should not run' }))];
    // Pool 1: a full worker does not sweep, so only its heartbeat keeps its own call from idling.
    const running = await worker(prefix, model.port, { reclaimMs: 2_000, pool: 1 });
    const watcher = await worker(prefix, other.port, { reclaimMs: 2_000 });
    const reply = (await port(prefix)).complete(request('s1'));
    await until(() => expect(model.calls).toHaveLength(1));
    const sweeps = watcher.stats().sweeps;
    // Four sweeps of the other worker: the call has run for twice reclaimMs and more.
    await until(() => expect(watcher.stats().sweeps).toBeGreaterThanOrEqual(sweeps + 4));
    expect(watcher.stats().reclaimed).toBe(0);
    model.finishAll();
    expect((await reply).text).toBe('reply to do s1');
    expect(model.calls).toHaveLength(1);
    expect(other.calls).toHaveLength(0);
    await until(() => expect(running.stats().completed).toBe(1));
  });

  it('aborts the worker’s model request when the caller aborts', async () => {
    const prefix = freshPrefix();
    const model = heldModel();
    const w = await worker(prefix, model.port);
    const controller = new AbortController();
    const reply = (await port(prefix)).complete(request('s1', { signal: controller.signal }));
    await until(() => expect(model.calls).toHaveLength(1));
    controller.abort(new Error('deadline'));
    await expect(reply).rejects.toThrow('deadline');
    await until(() => expect(model.aborted).toHaveLength(1));
    await until(() => expect(w.stats().cancelled).toBe(1));
    expect(await admin.exists(`${prefix}call-result:r1/s1/coder/1`)).toBe(0);
    expect(await admin.exists(`${prefix}call-submitted:r1/s1/coder/1`)).toBe(0);
    expect(await admin.exists(`${prefix}call-cancelled:r1/s1/coder/1`)).toBe(0);
    expect(await admin.xLen(`${prefix}calls`)).toBe(0);
  });

  /**
   * Runs a call on a worker for a port whose `abandon` answers `handOver`, and aborts it: gives
   * the worker, its model, `abandon` and the cancels the port sent.
   */
  const abortRunningCall = async (prefix: string, handOver: boolean, extra: Partial<ModelRequest> = {}) => {
    const model = heldModel();
    const w = await worker(prefix, model.port);
    const abandon = vi.fn((_key: CallKey) => handOver);
    const leaving = await port(prefix, { abandon });
    const cancels = await cancelsUntilProbe(prefix);
    const controller = new AbortController();
    const left = leaving.complete(request('s1', { ...extra, signal: controller.signal }));
    await until(() => expect(model.calls).toHaveLength(1));
    controller.abort(new Error('aborted here'));
    await expect(left).rejects.toThrow('aborted here');
    return { model, w, abandon, sent: await cancels(leaving) };
  };

  it('hands an aborted call over without cancelling it when abandon says so: the next owner gets it, paid once', async () => {
    const prefix = freshPrefix();
    const { model, w, abandon, sent } = await abortRunningCall(prefix, true);
    expect(abandon.mock.calls).toEqual([[keyOf('s1')]]);
    expect(sent).toEqual([]);
    expect(await admin.exists(`${prefix}call-cancelled:r1/s1/coder/1`)).toBe(0);
    await untilListening(prefix, 's1', 0);
    const taken = (await port(prefix)).complete(request('s1'));
    await untilListening(prefix, 's1', 1);
    expect(model.held).toBe(1);
    expect(model.finishAll()).toBe(1);
    expect((await taken).text).toBe('reply to do s1');
    expect(model.calls).toHaveLength(1);
    expect(model.aborted).toHaveLength(0);
    await until(() => expect(w.stats()).toMatchObject({ completed: 1, cancelled: 0 }));
  });

  it('still cancels an aborted call on the worker when abandon says no', async () => {
    const { model, w, abandon, sent } = await abortRunningCall(freshPrefix(), false);
    expect(abandon.mock.calls).toEqual([[keyOf('s1')]]);
    expect(sent).toEqual(['r1/s1/coder/1']);
    await until(() => expect(model.aborted).toEqual([model.calls[0]]));
    await until(() => expect(w.stats()).toMatchObject({ completed: 0, cancelled: 1 }));
  });

  it('cancels an aborted call without a key, which nobody can ask for again, without asking abandon', async () => {
    const { model, abandon, sent } = await abortRunningCall(freshPrefix(), true, { key: undefined });
    expect(abandon).not.toHaveBeenCalled();
    expect(sent).toEqual([callKeyString(model.calls[0]?.key ?? keyOf('none'))]);
    await until(() => expect(model.aborted).toHaveLength(1));
  });

  it('runs a call again for a replica still waiting when another replica gives it up', async () => {
    const prefix = freshPrefix();
    const model = heldModel();
    const w = await worker(prefix, model.port);
    const [leaving, staying] = [await port(prefix), await port(prefix)];
    const controller = new AbortController();
    const left = leaving.complete(request('s1', { signal: controller.signal }));
    await until(() => expect(model.calls).toHaveLength(1));
    const stayed = staying.complete(request('s1'));
    await untilListening(prefix, 's1', 2);
    controller.abort(new Error('replica stopping'));
    await expect(left).rejects.toThrow('replica stopping');
    await until(() => expect(model.calls).toHaveLength(2));
    expect(model.aborted).toEqual([model.calls[0]]);
    model.finishAll();
    expect((await stayed).text).toBe('reply to do s1');
    await until(() => expect(w.stats()).toMatchObject({ cancelled: 1, completed: 1 }));
  });

  it('drops a call its caller gave up before any worker read it', async () => {
    const prefix = freshPrefix();
    const controller = new AbortController();
    const reply = (await port(prefix)).complete(request('s1', { signal: controller.signal }));
    await until(async () => expect(await admin.xLen(`${prefix}calls`)).toBe(1));
    controller.abort(new Error('deadline'));
    await expect(reply).rejects.toThrow('deadline');
    const model = heldModel();
    const w = await worker(prefix, model.port);
    await until(() => expect(w.stats().cancelled).toBe(1));
    expect(model.calls).toHaveLength(0);
    expect(await admin.xLen(`${prefix}calls`)).toBe(0);
    expect(await admin.keys(`${prefix}call-*`)).toEqual([]);
  });

  it('runs no more calls than its pool, leaving the rest in the stream', async () => {
    const prefix = freshPrefix();
    const model = heldModel();
    await worker(prefix, model.port, { pool: 2 });
    const remote = await port(prefix);
    const replies = Promise.all(['s1', 's2', 's3', 's4', 's5'].map((step) => remote.complete(request(step))));
    await until(() => expect(model.calls).toHaveLength(2));
    await until(async () => expect(await admin.xLen(`${prefix}calls`)).toBe(5));
    expect((await admin.xPending(`${prefix}calls`, 'workers')).pending).toBe(2);
    for (let finished = 0; finished < 5; finished += model.finishAll()) {
      await until(() => expect(model.held).toBe(Math.min(2, 5 - finished)));
      expect((await admin.xPending(`${prefix}calls`, 'workers')).pending).toBeLessThanOrEqual(2);
    }
    expect((await replies).map((r) => r.text)).toEqual(['s1', 's2', 's3', 's4', 's5'].map((s) => `reply to do ${s}`));
    expect(model.load.peak).toBe(2);
    expect(model.calls).toHaveLength(5);
  });

  it('drops malformed stream entries and goes on', async () => {
    const prefix = freshPrefix();
    const model = createFakeModelPort(() => ({ reply: 'fine' }));
    const w = await worker(prefix, model.port);
    await admin.xAdd(`${prefix}calls`, '*', { call: '{not json' });
    await admin.xAdd(`${prefix}calls`, '*', { other: 'field' });
    await admin.xAdd(`${prefix}calls`, '*', { call: JSON.stringify({ key: 'r1/s1', prompt: 1 }) });
    expect((await (await port(prefix)).complete(request('s1'))).text).toBe('fine');
    await until(() => expect(w.stats().dropped).toBe(3));
    expect(logs.filter((line) => line.includes('malformed'))).toHaveLength(3);
    await until(async () => expect(await admin.xLen(`${prefix}calls`)).toBe(0));
  });

  it('sends model errors back as errors, keeping the transient flag, and stores them', async () => {
    const prefix = freshPrefix();
    const model = createFakeModelPort((r) => ({ error: `failed ${r.prompt}`, transient: r.prompt === 'do s1' }));
    const w = await worker(prefix, model.port);
    const remote = await port(prefix);
    const transient = remote.complete(request('s1'));
    await expect(transient).rejects.toBeInstanceOf(TransientModelError);
    await expect(transient).rejects.toThrow('failed do s1');
    const fatal = remote.complete(request('s2'));
    await expect(fatal).rejects.toThrow('failed do s2');
    await expect(fatal).rejects.not.toBeInstanceOf(TransientModelError);
    await expect(remote.complete(request('s2'))).rejects.toThrow('failed do s2');
    expect(model.calls).toHaveLength(2);
    await until(() => expect(w.stats()).toMatchObject({ completed: 2, failed: 2 }));
    const errorTtl = await admin.ttl(`${prefix}call-result:r1/s2/coder/1`);
    expect(errorTtl).toBeGreaterThan(0);
    expect(errorTtl).toBeLessThanOrEqual(3_600);
  });

  it('gives calls without a key a key of their own', async () => {
    const prefix = freshPrefix();
    const model = createFakeModelPort(() => ({ reply: 'planned' }));
    await worker(prefix, model.port);
    const remote = await port(prefix);
    const replies = await Promise.all([
      remote.complete(request('p', { key: undefined })),
      remote.complete(request('p', { key: undefined })),
    ]);
    expect(replies.map((r) => r.text)).toEqual(['planned', 'planned']);
    expect(model.calls).toHaveLength(2);
    expect(new Set(model.calls.map((r) => callKeyString(r.key ?? keyOf('none')))).size).toBe(2);
  });

  it('runs calls through its gate', async () => {
    const prefix = freshPrefix();
    const model = heldModel();
    const gate = createLocalGate(parseConcurrencyLimits({ agents: 'coder=1' }));
    await worker(prefix, model.port, { pool: 3, gate });
    const remote = await port(prefix);
    const replies = Promise.all(['s1', 's2', 's3'].map((step) => remote.complete(request(step))));
    for (let finished = 0; finished < 3; finished += model.finishAll()) {
      await until(() => expect(model.calls).toHaveLength(finished + 1));
    }
    await replies;
    expect(model.load.peak).toBe(1);
  });

  it('lets running calls finish when it stops, and leaves calls past the grace period to another worker', async () => {
    const prefix = freshPrefix();
    const model = heldModel();
    const patient = await worker(prefix, model.port);
    const remote = await port(prefix);
    const first = remote.complete(request('s1'));
    await until(() => expect(model.calls).toHaveLength(1));
    const stopped = patient.stop();
    model.finishAll();
    await stopped;
    expect((await first).text).toBe('reply to do s1');

    const hasty = await worker(prefix, model.port, { graceMs: 50, reclaimMs: 300 });
    const second = remote.complete(request('s2'));
    await until(() => expect(model.calls).toHaveLength(2));
    await hasty.stop();
    expect(model.aborted).toHaveLength(1);
    expect((await admin.xPending(`${prefix}calls`, 'workers')).pending).toBe(1);
    const next = createFakeModelPort(() => ({ reply: 'taken over' }));
    await worker(prefix, next.port, { reclaimMs: 300 });
    expect((await second).text).toBe('taken over');
  });
});
