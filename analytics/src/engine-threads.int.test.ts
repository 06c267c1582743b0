import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { batchInsert } from './batch-insert';
import { createAnalyticsClient } from './clickhouse';
import { engineThreadNicer, isNodeThread } from './engine-threads';

/** This process's threads: name and nice value (field 19 of /proc/<pid>/task/<tid>/stat). */
function threads(): { tid: number; name: string; nice: number }[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      return [{ tid: Number(tid), name, nice: Number(fields[16]) }];
    } catch {
      return [];
    }
  });
}

const dir = mkdtempSync(join(tmpdir(), 'revo-nice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(process.platform === 'linux')('embedded engine threads', () => {
  it('run at a lower priority than the event loop after an insert, and Node’s own threads are left alone', async () => {
    const client = createAnalyticsClient({ path: join(dir, 'db') });
    try {
      await client.command({ query: 'CREATE TABLE t (n UInt32) ENGINE = MergeTree ORDER BY n' });
      const insert = batchInsert(client, { stagingDir: join(dir, 'staging') });
      const before = threads();
      await insert('t', {
        token: 'tok1',
        rows: 2,
        body: [Buffer.from('1\n'), Buffer.from('2\n')],
        format: 'TabSeparated',
        columns: ['n UInt32'],
      });
      // The insert does not wait for the priorities; they follow at once.
      const engineThreads = () => threads().filter((t) => !isNodeThread(t.name) && t.tid !== process.pid);
      await vi.waitFor(() => expect(engineThreads().every((t) => t.nice === 10)).toBe(true), { timeout: 5000 });
      expect(engineThreads().length).toBeGreaterThan(3);
      const after = threads();
      const own = after.filter((t) => isNodeThread(t.name) || t.tid === process.pid);
      expect(own.map((t) => t.nice)).toEqual(own.map((t) => before.find((b) => b.tid === t.tid)?.nice ?? 0));
      const counted = await client.query({ query: 'SELECT sum(n) AS s FROM t', format: 'JSONEachRow' });
      expect(await counted.json()).toEqual([{ s: 3 }]);
      // Another nicer sets its own value on every engine thread; calls that overlap share one pass.
      const lower = engineThreadNicer(12);
      const [a, b] = [lower(), lower()];
      expect(a).toBe(b);
      await a;
      expect(engineThreads().every((t) => t.nice === 12)).toBe(true);
    } finally {
      await client.close();
    }
  });
});
