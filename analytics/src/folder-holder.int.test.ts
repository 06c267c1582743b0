import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createAnalyticsClient } from './clickhouse';
import { folderHolder } from './folder-holder';

const dir = mkdtempSync(join(tmpdir(), 'revo-holder-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('folderHolder', () => {
  it('names the other process that holds the flock chDB takes on <folder>/status, and nobody once it lets go', async () => {
    const folder = join(dir, 'held');
    const client = createAnalyticsClient({ path: folder });
    await client.query({ query: 'SELECT 1' });
    // This process's own lock is not another's.
    expect(await folderHolder(folder)).toBeUndefined();
    await client.close();
    // The same kind of lock (flock, exclusive) from another process, as a second chDB would meet it.
    // --close: flock itself holds the lock, not the sleep it runs, so killing flock lets go.
    const holder = spawn('flock', ['--exclusive', '--close', join(folder, 'status'), 'sleep', '60'], {
      stdio: 'ignore',
      detached: true,
    });
    children.push(holder);
    await vi.waitFor(async () => expect(await folderHolder(folder)).toBe(holder.pid), { timeout: 5_000, interval: 10 });
    process.kill(-(holder.pid as number), 'SIGKILL');
    await vi.waitFor(async () => expect(await folderHolder(folder)).toBeUndefined(), { timeout: 5_000, interval: 10 });
  });

  it('says nobody for a folder without a status file', async () => {
    const folder = join(dir, 'empty');
    writeFileSync(join(dir, 'stray'), '');
    expect(await folderHolder(dir)).toBeUndefined();
    expect(await folderHolder(folder)).toBeUndefined();
  });
});
