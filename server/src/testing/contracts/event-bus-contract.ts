import type { EventBus, RunEvent } from '@revo/actors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** A fresh bus with no history, and how to dispose of it (and of any peers it made). */
export interface EventBusFixture {
  bus: EventBus;
  cleanup(): Promise<void>;
  /** Another bus on the same backing store, as a second replica would hold. */
  peer?: () => Promise<EventBus>;
  /** What the bus reported of listeners' exceptions, when the adapter reports them. */
  listenerErrors?: () => unknown[];
}

export interface EventBusContractOptions {
  /** Also check that two instances see each other's events (needs `peer`). @default false */
  crossInstance?: boolean;
}

const durable = (runId: string, seq: number): RunEvent => ({
  type: 'workflow.state.changed',
  runId,
  state: `s${seq}`,
  at: 1_700_000_000_000 + seq,
  seq,
});

const token = (runId: string, seq: number, delta: string): RunEvent => ({
  type: 'agent.token',
  runId,
  stepId: 'step-1',
  agent: 'writer',
  delta,
  at: 1_700_000_000_000 + seq,
  seq,
});

/** Subscribes a listener that records what it hears. */
async function collect(bus: EventBus, channel: string) {
  const events: RunEvent[] = [];
  const unsubscribe = await bus.subscribe(channel, (event) => events.push(event));
  return { events, unsubscribe, seqs: () => events.map((e) => e.seq) };
}

const until = (condition: () => void) => vi.waitFor(condition, { timeout: 10_000, interval: 2 });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * While a publisher runs a burst on `publisher`, subscribes on `subscriber` and then reads the
 * history, as a client catching up does; returns the seqs it ends with.
 */
async function lateSubscriber(publisher: EventBus, subscriber: EventBus, runId: string, total: number) {
  let reachedStart!: () => void;
  const started = new Promise<void>((resolve) => {
    reachedStart = resolve;
  });
  // Chunks of publishes in flight together, so the subscription lands amid busy traffic.
  const publishing = (async () => {
    for (let from = 1; from <= total; from += 10) {
      await Promise.all(range(from, Math.min(from + 9, total)).map((seq) => publisher.publish(durable(runId, seq))));
      if (from > 50) reachedStart();
    }
  })();
  await started;
  const live = await collect(subscriber, runId);
  const past = await subscriber.history(runId);
  await publishing;
  await until(() => expect(live.seqs().at(-1)).toBe(total));
  await live.unsubscribe();
  // Catching up must need no more than the history: the live part starts at most one past it.
  const lastPast = past.at(-1)?.seq ?? 0;
  expect(live.seqs()[0]).toBeLessThanOrEqual(lastPast + 1);
  expect(live.seqs()).toEqual(range(live.seqs()[0] ?? 0, total));
  const merged = new Map([...past, ...live.events].map((e) => [e.seq, e]));
  return [...merged.keys()].sort((a, b) => a - b);
}

/** The behaviour every EventBus adapter must share; registers a `describe` block. */
export function eventBusContract(
  name: string,
  factory: () => Promise<EventBusFixture>,
  options: EventBusContractOptions = {},
): void {
  describe(name, () => {
    let fixture: EventBusFixture;
    let bus: EventBus;
    beforeEach(async () => {
      fixture = await factory();
      bus = fixture.bus;
    });
    afterEach(() => fixture.cleanup());

    it('keeps each run’s durable events in order and serves those after a seq', async () => {
      for (let seq = 1; seq <= 5; seq++) {
        await bus.publish(durable('r1', seq));
        await bus.publish(durable('r2', seq * 10));
      }
      expect(await bus.history('r1')).toEqual(range(1, 5).map((seq) => durable('r1', seq)));
      expect((await bus.history('r1', 3)).map((e) => e.seq)).toEqual([4, 5]);
      expect(await bus.history('r1', 5)).toEqual([]);
      expect((await bus.history('r2', 20)).map((e) => e.seq)).toEqual([30, 40, 50]);
      expect(await bus.history('never-published')).toEqual([]);
    });

    it('delivers token deltas live but leaves them out of the history', async () => {
      const live = await collect(bus, 'r1');
      await bus.publish(durable('r1', 1));
      await bus.publish(token('r1', 1, 'Hel'));
      await bus.publish(token('r1', 1, 'lo'));
      await bus.publish(durable('r1', 2));
      await until(() => expect(live.events).toHaveLength(4));
      expect(live.events).toEqual([durable('r1', 1), token('r1', 1, 'Hel'), token('r1', 1, 'lo'), durable('r1', 2)]);
      expect(await bus.history('r1')).toEqual([durable('r1', 1), durable('r1', 2)]);
    });

    it('routes by run id, by conversation id for turns, and everything to *', async () => {
      const all = await collect(bus, '*');
      const turn = await collect(bus, 'chat.1.t2');
      const conversation = await collect(bus, 'chat.1');
      const other = await collect(bus, 'solo');
      await bus.publish(durable('chat.1.t1', 1));
      await bus.publish(durable('chat.1.t2', 1));
      await bus.publish(durable('chat.1.tx', 1));
      await bus.publish(durable('solo', 1));
      // Delivery follows publish order, so once `*` has the last event the others have theirs.
      await until(() => expect(all.events).toHaveLength(4));
      expect(all.events.map((e) => e.runId)).toEqual(['chat.1.t1', 'chat.1.t2', 'chat.1.tx', 'solo']);
      expect(turn.events.map((e) => e.runId)).toEqual(['chat.1.t2']);
      expect(conversation.events.map((e) => e.runId)).toEqual(['chat.1.t1', 'chat.1.t2']);
      expect(other.events.map((e) => e.runId)).toEqual(['solo']);
    });

    it('stops delivering to a listener once it unsubscribes', async () => {
      const leaving = await collect(bus, 'r1');
      const staying = await collect(bus, 'r1');
      const watcher = await collect(bus, '*');
      await bus.publish(durable('r1', 1));
      await until(() => expect(staying.seqs()).toEqual([1]));
      await leaving.unsubscribe();
      await bus.publish(durable('r1', 2));
      await bus.publish(durable('r1', 3));
      await until(() => expect(watcher.seqs()).toEqual([1, 2, 3]));
      expect(staying.seqs()).toEqual([1, 2, 3]);
      expect(leaving.seqs()).toEqual([1]);
      await leaving.unsubscribe();
      await bus.publish(durable('r1', 4));
      await until(() => expect(staying.seqs()).toEqual([1, 2, 3, 4]));
    });

    it('delivers a burst of 1,000 publishes in publish order per run', async () => {
      const a = await collect(bus, 'burst-a');
      const b = await collect(bus, 'burst-b');
      const all = await collect(bus, '*');
      // Not awaited one by one: the publishes are all in flight together.
      await Promise.all(
        range(1, 1_000).map((i) => bus.publish(durable(i % 2 ? 'burst-a' : 'burst-b', Math.ceil(i / 2)))),
      );
      await until(() => expect(all.events).toHaveLength(1_000));
      expect(a.seqs()).toEqual(range(1, 500));
      expect(b.seqs()).toEqual(range(1, 500));
      expect((await bus.history('burst-a')).map((e) => e.seq)).toEqual(range(1, 500));
    });

    it('has a durable event in the history by the time any listener sees it', async () => {
      const checks: Array<Promise<boolean>> = [];
      await bus.subscribe('logged', (event) => {
        checks.push(bus.history('logged', event.seq - 1).then((past) => past[0]?.seq === event.seq));
      });
      await Promise.all(range(1, 300).map((seq) => bus.publish(durable('logged', seq))));
      await until(() => expect(checks).toHaveLength(300));
      const logged = await Promise.all(checks);
      expect(logged.filter((ok) => !ok)).toHaveLength(0);
    });

    it('lets a late subscriber catch up from the history with no gap and no duplicate', async () => {
      expect(await lateSubscriber(bus, bus, 'late', 1_000)).toEqual(range(1, 1_000));
    });

    it('truncates a run’s log after a seq, leaving other runs alone', async () => {
      for (let seq = 1; seq <= 5; seq++) await bus.publish(durable('cut', seq));
      await bus.publish(durable('keep', 1));
      await bus.truncate('cut', 3);
      expect((await bus.history('cut')).map((e) => e.seq)).toEqual([1, 2, 3]);
      await bus.truncate('cut', 0);
      expect(await bus.history('cut')).toEqual([]);
      expect((await bus.history('keep')).map((e) => e.seq)).toEqual([1]);
    });

    it('keeps delivering to the other listeners when one throws', async () => {
      let thrown = 0;
      const boom = new Error('listener failed');
      const thrower = (): void => {
        thrown++;
        throw boom;
      };
      await bus.subscribe('r1', thrower);
      await bus.subscribe('*', thrower);
      const same = await collect(bus, 'r1');
      const all = await collect(bus, '*');
      await bus.publish(durable('r1', 1));
      await bus.publish(durable('r1', 2));
      await until(() => expect(all.seqs()).toEqual([1, 2]));
      expect(same.seqs()).toEqual([1, 2]);
      expect(thrown).toBe(4);
      if (fixture.listenerErrors) expect(fixture.listenerErrors()).toEqual([boom, boom, boom, boom]);
    });

    if (options.crossInstance) {
      describe('across instances', () => {
        const peerOf = () => {
          if (!fixture.peer) throw new Error('crossInstance needs the fixture to offer peer()');
          return fixture.peer();
        };

        it('shows each instance the other’s events, live and in the history', async () => {
          const other = await peerOf();
          const here = await collect(bus, '*');
          const there = await collect(other, '*');
          await bus.publish(durable('r1', 1));
          await other.publish(durable('r2', 1));
          await until(() => expect(there.events).toHaveLength(2));
          await until(() => expect(here.events).toHaveLength(2));
          expect(there.events.map((e) => e.runId)).toEqual(['r1', 'r2']);
          expect(await other.history('r1')).toEqual([durable('r1', 1)]);
        });

        it('lets a late subscriber on another instance catch up with no gap and no duplicate', async () => {
          const other = await peerOf();
          expect(await lateSubscriber(bus, other, 'late', 1_000)).toEqual(range(1, 1_000));
        });
      });
    }
  });
}
