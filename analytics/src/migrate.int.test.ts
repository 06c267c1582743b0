import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnalyticsClient } from './clickhouse';
import { loadMigrations, migrate } from './migrate';

const dir = mkdtempSync(join(tmpdir(), 'revo-migrate-'));
const client = createAnalyticsClient({ path: dir });
afterAll(async () => {
  await client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migrations on the real ClickHouse engine (chDB)', () => {
  it('applies every migration once, records it, and applies nothing the second time', async () => {
    const first = await migrate(client);
    expect(first).toEqual(loadMigrations().map((m) => m.name));
    expect(await migrate(client)).toEqual([]);
    const tables = await (await client.query({ query: 'SHOW TABLES', format: 'JSONEachRow' })).json<{ name: string }>();
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['run_events', 'agent_daily', 'schema_migrations']),
    );
  });

  it('refuses a migration that changed after it was applied', async () => {
    const [changed, ...rest] = loadMigrations();
    await expect(
      migrate(client, [{ ...(changed as NonNullable<typeof changed>), checksum: 'edited' }, ...rest]),
    ).rejects.toThrow(/changed after it was applied/);
  });
});
