import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../server/src/env';
import { parseWebEnv } from '../../web/src/lib/env';
import { parseEnvFile } from '../tools/generators';
import { type JsonObject, objectAt } from '../tools/manifest';
import { environmentOf, interpolate, loadCompose, requiredVariables } from './compose-file';
import { DEPLOY, REPO } from './overlays';
import { SETTINGS } from './settings';

const COMPOSE = join(DEPLOY, 'compose.yaml');
const EXAMPLE = Object.fromEntries(parseEnvFile(readFileSync(join(DEPLOY, '.env.example'), 'utf8'), '.env.example'));
const ROLES = ['server', 'worker', 'ingester'] as const;

/** The names web/src/lib/env.ts reads (Next inlines them at build time). */
const WEB_SETTINGS = new Set(
  [...readFileSync(join(REPO, 'web/src/lib/env.ts'), 'utf8').matchAll(/process\.env\.(NEXT_PUBLIC_\w+)/g)].map(
    (m) => m[1],
  ),
);

describe('deploy/compose.yaml', () => {
  const compose = loadCompose(COMPOSE, EXAMPLE);
  const services = objectAt(compose.services) as Record<string, JsonObject>;
  const service = (name: string) => objectAt(services[name]);

  it('runs Redis, ClickHouse, Ollama, the three reVo roles, the gateway and the web app', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['clickhouse', 'gateway', 'ingester', 'ollama', 'redis', 'server', 'web', 'worker'].sort(),
    );
    expect(String(service('clickhouse').image)).toMatch(/^clickhouse\/clickhouse-server:/);
    expect(String(service('ollama').image)).toMatch(/^ollama\/ollama:/);
  });

  it('builds from Dockerfiles in this repository and tags every image', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(String(s.image ?? ''), name).toMatch(/^[^:]+:[^:]+$/);
      if (!s.build) continue;
      const build = objectAt(s.build);
      const context = resolve(DEPLOY, String(build.context));
      expect(context, name).toBe(REPO);
      expect(existsSync(resolve(context, String(build.dockerfile))), `${name} ${String(build.dockerfile)}`).toBe(true);
    }
  });

  it('runs the server, worker and ingester roles from one server image', () => {
    const images = ROLES.map((r) => [service(r).image, objectAt(service(r).build).dockerfile, service(r).command]);
    expect(new Set(images.map((i) => JSON.stringify(i))).size).toBe(1);
    expect(images[0]).toEqual(['revo-server:dev', 'deploy/docker/server.Dockerfile', ['serve']]);
  });

  it.each(ROLES)('gives the %s role only reVo settings, valid together', (role) => {
    const env = environmentOf(service(role));
    for (const name of Object.keys(env)) expect(SETTINGS.has(name), name).toBe(true);
    const settings = loadEnv(env);
    expect(settings.REVO_ROLES).toEqual([role]);
    expect(settings.HOST).toBe('0.0.0.0');
    for (const url of [settings.REDIS_URL, settings.CLICKHOUSE_URL, settings.OLLAMA_BASE_URL]) {
      expect(Object.keys(services), url).toContain(new URL(url ?? '').hostname);
    }
  });

  it('runs several API replicas, reached through the gateway only', () => {
    expect(Number(objectAt(service('server').deploy).replicas)).toBeGreaterThan(1);
    expect(service('server').ports).toBeUndefined();
    const conf = readFileSync(join(DEPLOY, 'compose/gateway.conf'), 'utf8');
    expect(conf).toContain('http://server:4000');
    expect(conf).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    expect(service('gateway').ports).toEqual([`${EXAMPLE.REVO_API_PORT}:8080`]);
  });

  it('builds the web app for the address the gateway publishes', () => {
    const args = objectAt(objectAt(service('web').build).args) as Record<string, string>;
    for (const name of Object.keys(args)) expect(WEB_SETTINGS.has(name), name).toBe(true);
    const { apiUrl } = parseWebEnv(args);
    expect(new URL(apiUrl).port).toBe(EXAMPLE.REVO_API_PORT);
    expect(new URL(apiUrl).pathname).toBe('/graphql');
  });

  it('waits only for services that exist, and for health where they report it', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [target, condition] of Object.entries(objectAt(s.depends_on))) {
        expect(Object.keys(services), name).toContain(target);
        if (objectAt(condition).condition === 'service_healthy')
          expect(service(target).healthcheck, target).toBeDefined();
      }
      expect(s.healthcheck, `${name} has a health check`).toBeDefined();
    }
  });

  it('mounts only files that exist', () => {
    for (const s of Object.values(services)) {
      for (const volume of (s.volumes as string[] | undefined) ?? []) {
        const [source = ''] = volume.split(':');
        if (source.startsWith('.')) expect(existsSync(resolve(DEPLOY, source)), source).toBe(true);
      }
    }
  });

  it('refuses to start without the secrets, which .env.example lists', () => {
    const required = requiredVariables(COMPOSE);
    expect([...required].sort()).toEqual(['CLICKHOUSE_PASSWORD', 'REDIS_PASSWORD', 'REVO_API_TOKEN']);
    for (const name of required) expect(Object.keys(EXAMPLE)).toContain(name);
    const { REVO_API_TOKEN: _, ...without } = EXAMPLE;
    expect(() => loadCompose(COMPOSE, without)).toThrow(/REVO_API_TOKEN/);
  });

  it('adds a GPU to Ollama with compose.gpu.yaml, and nothing else', () => {
    const gpu = objectAt(loadCompose(join(DEPLOY, 'compose.gpu.yaml'), {}).services);
    expect(Object.keys(gpu)).toEqual(['ollama']);
    expect(JSON.stringify(gpu)).toContain('"driver":"nvidia"');
  });
});

describe('interpolate', () => {
  it('substitutes, defaults, requires and escapes as Compose does', () => {
    const vars = { A: 'a', EMPTY: '' };
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose's syntax, not a template literal
    expect(interpolate('$A ${A} ${B:-b} ${EMPTY:-e} ${EMPTY-e} $$A', vars)).toBe('a a b e  $A');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose's syntax, not a template literal
    expect(() => interpolate('${EMPTY:?needed}', vars)).toThrow(/EMPTY: needed/);
  });
});
