import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClickHouseClient } from './clickhouse';

/** The folder of plain `.sql` migrations, `NNNN_slug.sql`, applied in order. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  statements: string[];
  checksum: string;
}

/** Splits a migration file into statements (`;` at a line end), dropping `--` comment lines. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(`${dir}/${file}`, 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file,
        statements: splitStatements(sql),
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order, and records each. A
 * recorded migration whose file has changed since is an error: migrations are append-only.
 */
export async function migrate(client: ClickHouseClient, migrations = loadMigrations()): Promise<string[]> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations
      (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = MergeTree ORDER BY version`,
  });
  const result = await client.query({
    query: 'SELECT version, name, checksum FROM schema_migrations',
    format: 'JSONEachRow',
  });
  const applied = new Map(
    (await result.json<{ version: number; name: string; checksum: string }>()).map((m) => [Number(m.version), m]),
  );
  const done: string[] = [];
  for (const migration of migrations) {
    const seen = applied.get(migration.version);
    if (seen) {
      if (seen.checksum !== migration.checksum) {
        throw new Error(
          `migration ${migration.name} changed after it was applied (as ${seen.name}); add a new migration instead`,
        );
      }
      continue;
    }
    for (const statement of migration.statements) await client.command({ query: statement });
    await client.insert({
      table: 'schema_migrations',
      values: [{ version: migration.version, name: migration.name, checksum: migration.checksum }],
      format: 'JSONEachRow',
    });
    done.push(migration.name);
  }
  return done;
}
