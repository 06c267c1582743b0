import { describe, expect, it } from 'vitest';
import { type Actor, createActor, fromPromise, waitFor } from 'xstate';
import { type SendInput, type SendOutput, composerMachine } from './composer.machine';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A composer whose effects are fakes the test settles by hand. */
function start() {
  const sends: { input: SendInput; reply: Deferred<SendOutput> }[] = [];
  const decisions: { input: { runId: string; conflictId: string; position: string }; reply: Deferred<void> }[] = [];
  const cancels: string[] = [];
  const machine = composerMachine.provide({
    actors: {
      sendMessage: fromPromise<SendOutput, SendInput>(({ input }) => {
        const reply = deferred<SendOutput>();
        sends.push({ input, reply });
        return reply.promise;
      }),
      decideConflict: fromPromise<void, { runId: string; conflictId: string; position: string }>(({ input }) => {
        const reply = deferred<void>();
        decisions.push({ input, reply });
        return reply.promise;
      }),
      cancelRun: fromPromise<void, { runId: string }>(async ({ input }) => {
        cancels.push(input.runId);
      }),
    },
  });
  const actor = createActor(machine, { input: { conversationId: 'c-1' } }).start();
  return { actor, sends, decisions, cancels };
}

const state = (actor: Actor<typeof composerMachine>) => actor.getSnapshot().value;

describe('composerMachine', () => {
  it('does not send an empty message', () => {
    const { actor, sends } = start();
    actor.send({ type: 'text.changed', text: '   ' });
    actor.send({ type: 'submit' });
    expect(state(actor)).toBe('idle');
    expect(sends).toHaveLength(0);
  });

  it('sends, streams the turn and comes back to idle when it ends', async () => {
    const { actor, sends } = start();
    actor.send({ type: 'text.changed', text: '  Write a function that adds two numbers ' });
    actor.send({ type: 'submit' });
    expect(state(actor)).toBe('sending');
    expect(sends[0]?.input).toEqual({
      conversationId: 'c-1',
      text: 'Write a function that adds two numbers',
      mode: 'SINGLE',
      agents: [],
    });
    sends[0]?.reply.resolve({ conversationId: 'c-1', runId: 'c-1.t1' });
    await waitFor(actor, (s) => s.matches('streaming'));
    expect(actor.getSnapshot().context).toMatchObject({ text: '', runId: 'c-1.t1' });
    actor.send({ type: 'turn.updated', runId: 'c-1.t0', phase: 'ended' });
    expect(state(actor)).toBe('streaming');
    actor.send({ type: 'turn.updated', runId: 'c-1.t1', phase: 'ended' });
    expect(state(actor)).toBe('idle');
  });

  it('asks for a decision, sends it, and follows the run to its end', async () => {
    const { actor, sends, decisions } = start();
    actor.send({ type: 'mode.changed', mode: 'MULTI' });
    actor.send({ type: 'agents.changed', agents: ['architect', 'performance', 'security'] });
    actor.send({ type: 'text.changed', text: 'Compare REST, GraphQL and gRPC for the public API' });
    actor.send({ type: 'submit' });
    expect(sends[0]?.input).toMatchObject({ mode: 'MULTI', agents: ['architect', 'performance', 'security'] });
    sends[0]?.reply.resolve({ conversationId: 'c-1', runId: 'c-1.t1' });
    await waitFor(actor, (s) => s.matches('streaming'));
    actor.send({ type: 'turn.updated', runId: 'c-1.t1', phase: 'awaiting', conflictId: 'c1' });
    expect(state(actor)).toBe('awaitingDecision');
    actor.send({ type: 'decide', conflictId: 'c1', position: 'graphql' });
    expect(state(actor)).toBe('deciding');
    expect(decisions[0]?.input).toEqual({ runId: 'c-1.t1', conflictId: 'c1', position: 'graphql' });
    decisions[0]?.reply.resolve();
    await waitFor(actor, (s) => s.matches('streaming'));
    // The escalation is still what the feed shows until conflict.decided arrives: do not ask again.
    actor.send({ type: 'turn.updated', runId: 'c-1.t1', phase: 'awaiting', conflictId: 'c1' });
    expect(state(actor)).toBe('streaming');
    actor.send({ type: 'turn.updated', runId: 'c-1.t1', phase: 'ended' });
    expect(state(actor)).toBe('idle');
  });

  it('asks again when deciding fails', async () => {
    const { actor, sends, decisions } = start();
    actor.send({ type: 'text.changed', text: 'Pick one' });
    actor.send({ type: 'submit' });
    sends[0]?.reply.resolve({ conversationId: 'c-1', runId: 'r' });
    await waitFor(actor, (s) => s.matches('streaming'));
    actor.send({ type: 'turn.updated', runId: 'r', phase: 'awaiting', conflictId: 'c1' });
    actor.send({ type: 'decide', conflictId: 'c1', position: 'rest' });
    decisions[0]?.reply.reject(new Error('the conflict is not escalated'));
    await waitFor(actor, (s) => s.matches('awaitingDecision'));
    expect(actor.getSnapshot().context).toMatchObject({ error: 'the conflict is not escalated', decided: null });
  });

  it('comes back to idle when the run ended before sendMessage answered', async () => {
    const { actor, sends } = start();
    actor.send({ type: 'text.changed', text: 'Quick one' });
    actor.send({ type: 'submit' });
    // The feed already saw the end; the page reports it again once the composer streams.
    actor.send({ type: 'turn.updated', runId: 'c-1.t1', phase: 'ended' });
    expect(state(actor)).toBe('sending');
    sends[0]?.reply.resolve({ conversationId: 'c-1', runId: 'c-1.t1' });
    await waitFor(actor, (s) => s.matches('streaming'));
    actor.send({ type: 'turn.updated', runId: 'c-1.t1', phase: 'ended' });
    expect(state(actor)).toBe('idle');
  });

  it('keeps the text when sending fails and retries it', async () => {
    const { actor, sends } = start();
    actor.send({ type: 'text.changed', text: 'Hello' });
    actor.send({ type: 'submit' });
    sends[0]?.reply.reject(new Error('Cannot reach the reVo server'));
    await waitFor(actor, (s) => s.matches('error'));
    expect(actor.getSnapshot().context).toMatchObject({ text: 'Hello', error: 'Cannot reach the reVo server' });
    actor.send({ type: 'retry' });
    expect(state(actor)).toBe('sending');
    expect(sends).toHaveLength(2);
  });

  it('says so when the message is queued behind another turn', async () => {
    const { actor, sends } = start();
    actor.send({ type: 'text.changed', text: 'Next' });
    actor.send({ type: 'submit' });
    sends[0]?.reply.resolve({ conversationId: 'c-1', runId: null });
    await waitFor(actor, (s) => s.matches('idle'));
    expect(actor.getSnapshot().context.notice).toMatch(/waits behind/);
  });

  it('starts a new conversation on send and keeps its id', async () => {
    const { actor, sends } = start();
    actor.send({ type: 'conversation.switched', conversationId: null });
    actor.send({ type: 'text.changed', text: 'First message' });
    actor.send({ type: 'submit' });
    expect(sends[0]?.input.conversationId).toBeNull();
    actor.send({ type: 'conversation.switched', conversationId: 'c-new' });
    expect(state(actor)).toBe('sending');
    sends[0]?.reply.resolve({ conversationId: 'c-new', runId: 'c-new.t1' });
    await waitFor(actor, (s) => s.matches('streaming'));
    expect(actor.getSnapshot().context.conversationId).toBe('c-new');
  });

  it('follows a turn that started elsewhere, and resets when the person opens another conversation', () => {
    const { actor } = start();
    actor.send({ type: 'turn.updated', runId: 'c-1.t3', phase: 'awaiting', conflictId: 'c1' });
    expect(state(actor)).toBe('awaitingDecision');
    actor.send({ type: 'conversation.switched', conversationId: 'c-2' });
    expect(state(actor)).toBe('idle');
    expect(actor.getSnapshot().context).toMatchObject({ conversationId: 'c-2', runId: null });
  });

  it('cancels the running turn on stop', async () => {
    const { actor, sends, cancels } = start();
    actor.send({ type: 'text.changed', text: 'Long task' });
    actor.send({ type: 'submit' });
    sends[0]?.reply.resolve({ conversationId: 'c-1', runId: 'c-1.t1' });
    await waitFor(actor, (s) => s.matches('streaming'));
    actor.send({ type: 'stop' });
    await waitFor(actor, (s) => s.matches('streaming'));
    expect(cancels).toEqual(['c-1.t1']);
    actor.send({ type: 'turn.updated', runId: 'c-1.t1', phase: 'ended' });
    expect(state(actor)).toBe('idle');
  });

  it('keeps one agent in single mode', () => {
    const { actor } = start();
    actor.send({ type: 'mode.changed', mode: 'MULTI' });
    actor.send({ type: 'agents.changed', agents: ['tester', 'security'] });
    actor.send({ type: 'mode.changed', mode: 'SINGLE' });
    expect(actor.getSnapshot().context.agents).toEqual(['tester']);
  });
});
