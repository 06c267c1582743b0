import { createActor, createMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createInspector } from './inspector';

const machine = createMachine({
  id: 'probe',
  initial: 'on',
  states: { on: { on: { stop: 'off' } }, off: { type: 'final' } },
});

describe('the inspector', () => {
  it('survives its periodic sweep while an actor is being created (regression: every 200th actor failed)', () => {
    const inspector = createInspector();
    const actors = Array.from({ length: 401 }, () => createActor(machine, { inspect: inspector.inspect }).start());
    expect(inspector.actors()).toHaveLength(401);
    for (const actor of actors.slice(0, 100)) actor.send({ type: 'stop' });
    expect(inspector.actors()).toHaveLength(301);
    expect(inspector.actors({ includeFinished: true })).toHaveLength(401);
  });

  it('records snapshots with the event that caused them, and keeps only the last ones', () => {
    const inspector = createInspector({ keepSnapshots: 1 });
    const actor = createActor(machine, { inspect: inspector.inspect }).start();
    actor.send({ type: 'stop' });
    const seen = inspector.actor(actor.sessionId);
    expect(seen?.snapshotCount).toBe(2);
    expect(seen?.snapshots.map((s) => [s.eventType, s.snapshot.value])).toEqual([['stop', 'off']]);
  });
});
