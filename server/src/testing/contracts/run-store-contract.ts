import { CursorError, type PersistedActor, type RunStore, byNewest } from '@revo/actors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** A fresh, empty store and how to dispose of it. */
export interface RunStoreFixture {
  store: RunStore;
  cleanup(): Promise<void>;
}

interface Row {
  id: string;
  n: number;
}

const actor = (id: string, seq = 1): PersistedActor => ({
  id,
  kind: id.startsWith('c') ? 'conversation' : 'workflow',
  snapshot: { value: 'running', context: { steps: [1, 2], note: 'ünïcødé ✓' } },
  input: { task: `task ${id}` },
  seq,
  savedAt: 1_700_000_000_000 + seq,
});

/** Every page from the first on, as the API would walk them. */
async function walk<T>(store: RunStore, collection: string, limit: number, filter?: (record: T) => boolean) {
  const pages: T[][] = [];
  let after: string | null = null;
  do {
    const page: { items: T[]; nextCursor: string | null } = await store.listRecords<T>(collection, {
      limit,
      after,
      filter,
    });
    pages.push(page.items);
    after = page.nextCursor;
    if (pages.length > 1_000) throw new Error('pagination does not end');
  } while (after);
  return pages;
}

/** Puts rows `{ id, n }` with the given sort keys and returns their ids in the order a listing must give. */
async function seed(store: RunStore, collection: string, sortKeys: Array<[id: string, sortKey: number]>) {
  for (const [id, sortKey] of sortKeys) await store.putRecord<Row>(collection, id, { id, n: sortKey }, sortKey);
  return sortKeys
    .map(([id, sortKey]) => ({ id, sortKey }))
    .sort(byNewest)
    .map((e) => e.id);
}

const pad = (i: number) => String(i).padStart(4, '0');

/** The behaviour every RunStore adapter must share; registers a `describe` block. */
export function runStoreContract(name: string, factory: () => Promise<RunStoreFixture>): void {
  describe(name, () => {
    let store: RunStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(() => cleanup());

    it('saves, overwrites, loads and removes persisted actors', async () => {
      expect(await store.loadActors()).toEqual([]);
      await store.saveActor(actor('w1'));
      await store.saveActor(actor('c1'));
      await store.saveActor(actor('w1', 7));
      const loaded = (await store.loadActors()).sort((a, b) => a.id.localeCompare(b.id));
      expect(loaded).toEqual([actor('c1'), actor('w1', 7)]);
      await store.removeActor('w1');
      await store.removeActor('never-saved');
      expect(await store.loadActors()).toEqual([actor('c1')]);
    });

    it('lists actor ids and loads one actor by id', async () => {
      await store.saveActor(actor('w1'));
      await store.saveActor(actor('c1', 3));
      expect((await store.actorIds()).sort()).toEqual(['c1', 'w1']);
      expect(await store.loadActor('c1')).toEqual(actor('c1', 3));
      expect(await store.loadActor('nope')).toBeUndefined();
      await store.removeActor('c1');
      expect(await store.actorIds()).toEqual(['w1']);
    });

    it('round-trips a record as an equal copy, and misses as undefined', async () => {
      const record = { title: 'ünïcødé ✓', nested: { list: [1, 'two', null, { deep: true }] }, zero: 0, empty: '' };
      await store.putRecord('workflows', 'w1', record, 10);
      const read = await store.getRecord<typeof record>('workflows', 'w1');
      expect(read).toEqual(record);
      if (read) read.nested.list.push('mutated');
      expect(await store.getRecord('workflows', 'w1')).toEqual(record);
      expect(await store.getRecord('workflows', 'w2')).toBeUndefined();
      expect(await store.getRecord('never-written', 'w1')).toBeUndefined();
    });

    it('keeps one copy of an overwritten record, listed at its new sort key', async () => {
      await seed(store, 'c', [
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ]);
      await store.putRecord<Row>('c', 'a', { id: 'a', n: 99 }, 99);
      await store.putRecord<Row>('c', 'c', { id: 'c', n: 0 }, 0);
      const page = await store.listRecords<Row>('c');
      expect(page).toEqual({
        items: [
          { id: 'a', n: 99 },
          { id: 'b', n: 2 },
          { id: 'c', n: 0 },
        ],
        nextCursor: null,
      });
    });

    it('deletes a record from reads and listings, and ignores deleting a missing one', async () => {
      await seed(store, 'c', [
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ]);
      await store.deleteRecord('c', 'b');
      await store.deleteRecord('c', 'never-put');
      await store.deleteRecord('never-written', 'a');
      expect(await store.getRecord('c', 'b')).toBeUndefined();
      expect((await store.listRecords<Row>('c')).items.map((r) => r.id)).toEqual(['c', 'a']);
      await store.putRecord<Row>('c', 'b', { id: 'b', n: 9 }, 9);
      expect((await store.listRecords<Row>('c')).items.map((r) => r.id)).toEqual(['b', 'c', 'a']);
    });

    it('lists newest first, ties broken by id ascending', async () => {
      await seed(store, 'c', [
        ['m', 5],
        ['a9', 5],
        ['z', 9],
        ['a10', 5],
        ['neg', -3],
        ['zero', 0],
        ['b', 5],
        ['big', 1_764_000_000_123],
      ]);
      const { items } = await store.listRecords<Row>('c');
      expect(items.map((r) => r.id)).toEqual(['big', 'z', 'a10', 'a9', 'b', 'm', 'zero', 'neg']);
    });

    it('serves 20 records per page by default, and an empty collection as one empty page', async () => {
      await seed(
        store,
        'c',
        Array.from({ length: 25 }, (_, i) => [pad(i), i]),
      );
      const first = await store.listRecords<Row>('c');
      expect(first.items).toHaveLength(20);
      expect(first.nextCursor).not.toBeNull();
      const second = await store.listRecords<Row>('c', { after: first.nextCursor });
      expect(second.items.map((r) => r.n)).toEqual([4, 3, 2, 1, 0]);
      expect(second.nextCursor).toBeNull();
      expect(await store.listRecords('empty')).toEqual({ items: [], nextCursor: null });
    });

    it('visits every record exactly once across pages, ties included', async () => {
      const order = await seed(
        store,
        'c',
        Array.from({ length: 53 }, (_, i) => [`r${i}`, i % 7]),
      );
      const pages = await walk<Row>(store, 'c', 10);
      expect(pages.map((p) => p.length)).toEqual([10, 10, 10, 10, 10, 3]);
      expect(pages.flat().map((r) => r.id)).toEqual(order);
    });

    it('pages through long runs of equal sort keys', async () => {
      // More ties than one read of an index, to catch a resume that restarts or skips inside them.
      const order = await seed(
        store,
        'c',
        Array.from({ length: 260 }, (_, i) => [pad(i), i < 220 ? 7 : i]),
      );
      const pages = await walk<Row>(store, 'c', 45);
      expect(pages.flat().map((r) => r.id)).toEqual(order);
      expect(pages.slice(0, -1).every((p) => p.length === 45)).toBe(true);
      const big = await walk<Row>(store, 'c', 150);
      expect(big.map((p) => p.length)).toEqual([150, 110]);
      expect(big.flat().map((r) => r.id)).toEqual(order);
    });

    it('keeps filtered pages full and ends on the last match', async () => {
      const order = await seed(
        store,
        'c',
        Array.from({ length: 60 }, (_, i) => [pad(i), i]),
      );
      const even = (r: Row) => r.n % 2 === 0;
      const pages = await walk<Row>(store, 'c', 10, even);
      expect(pages.map((p) => p.length)).toEqual([10, 10, 10]);
      expect(pages.flat().map((r) => r.id)).toEqual(order.filter((id) => Number(id) % 2 === 0));
      // Sparse matches: a page must read on until it is full, not stop at the first read's worth.
      const sparse = (r: Row) => r.n % 37 === 0 || r.n === 1;
      expect((await store.listRecords<Row>('c', { limit: 2, filter: sparse })).items.map((r) => r.n)).toEqual([37, 1]);
      const rest = await store.listRecords<Row>('c', { limit: 3, filter: (r) => r.n < 3 });
      expect(rest).toEqual({ items: [2, 1, 0].map((n) => ({ id: pad(n), n })), nextCursor: null });
    });

    it('keeps a sparse filtered page full over many records', async () => {
      await seed(
        store,
        'c',
        Array.from({ length: 400 }, (_, i) => [pad(i), i]),
      );
      const pages = await walk<Row>(store, 'c', 4, (r) => r.n % 41 === 0);
      expect(pages.map((p) => p.map((r) => r.n))).toEqual([
        [369, 328, 287, 246],
        [205, 164, 123, 82],
        [41, 0],
      ]);
    });

    it('rejects a cursor it did not issue with a CursorError', async () => {
      await seed(store, 'c', [['a', 1]]);
      await expect(store.listRecords('c', { after: 'not a cursor' })).rejects.toBeInstanceOf(CursorError);
      const wrongShape = btoa(JSON.stringify({ sortKey: 1, id: 'a' }));
      await expect(store.listRecords('c', { after: wrongShape })).rejects.toBeInstanceOf(CursorError);
    });

    it('keeps collections apart, even when one name extends another', async () => {
      await store.putRecord('a', 'x', { from: 'a' }, 1);
      await store.putRecord('a:b', 'x', { from: 'a:b' }, 2);
      await store.putRecord('b', 'a:x', { from: 'b' }, 3);
      expect(await store.getRecord('a', 'x')).toEqual({ from: 'a' });
      expect(await store.getRecord('a:b', 'x')).toEqual({ from: 'a:b' });
      expect((await store.listRecords('a')).items).toEqual([{ from: 'a' }]);
      expect((await store.listRecords('a:b')).items).toEqual([{ from: 'a:b' }]);
      expect((await store.listRecords('b')).items).toEqual([{ from: 'b' }]);
      expect(await store.loadActors()).toEqual([]);
    });
  });
}
