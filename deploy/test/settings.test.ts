import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../server/src/env';
import { type Manifest, containersOf, objectAt, objectsAt, podSpecs } from '../tools/manifest';
import { resolveEnv } from './container-env';
import { OVERLAYS, find, render } from './overlays';
import { SETTINGS, URL_PARTS } from './settings';

/** The server image's Deployments, named after the one role each runs. */
const ROLES = ['server', 'worker', 'ingester'] as const;

/** Whether `url` names a Service of `objects` on a port it exposes. */
function serviceFor(url: string, objects: Manifest[]): boolean {
  const { hostname, port } = new URL(url);
  const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === hostname);
  return objectsAt(objectAt(service?.spec).ports).some((p) => String(p.port) === port);
}

describe.each(OVERLAYS)('reVo settings in the %s manifests', (overlay) => {
  const objects = render(overlay);

  it('run one server image for the server, worker and ingester roles', () => {
    const images = ROLES.map((role) =>
      podSpecs(find(objects, 'Deployment', role))
        .flatMap(containersOf)
        .map((c) => c.image),
    );
    expect(new Set(images.flat()).size).toBe(1);
  });

  it.each(ROLES)('give the %s role only reVo settings, valid together', (role) => {
    const owner = find(objects, 'Deployment', role);
    const [container] = podSpecs(owner).flatMap(containersOf);
    if (!container) throw new Error(`${role} has no container`);
    const { env, problems } = resolveEnv(container, owner, objects);
    expect(problems).toEqual([]);
    for (const name of Object.keys(env)) expect(SETTINGS.has(name) || URL_PARTS.has(name), name).toBe(true);
    const raw = JSON.stringify(container.env);
    for (const part of URL_PARTS) if (part in env) expect(raw, `${part} is used`).toContain(`$(${part})`);
    expect(Object.values(env).join(' '), 'every $(NAME) expands').not.toMatch(/\$\(/);

    const settings = loadEnv(env);
    expect(settings.REVO_ROLES).toEqual([role]);
    expect(settings.HOST).toBe('0.0.0.0');
    expect(settings.REVO_API_TOKEN).toBeDefined();
    expect(
      objectAt(objectAt(objectsAt(container.env).find((e) => e.name === 'REVO_REPLICA_ID')?.valueFrom).fieldRef),
    ).toEqual({ fieldPath: 'metadata.name' });
    const http = objectsAt(container.ports).find((p) => p.name === 'http');
    expect(http?.containerPort).toBe(settings.PORT);
    expect(objectAt(objectAt(container.livenessProbe).httpGet)).toEqual({ path: '/healthz', port: 'http' });
    expect(objectAt(objectAt(container.readinessProbe).httpGet)).toEqual({ path: '/readyz', port: 'http' });

    expect(serviceFor(settings.REDIS_URL ?? '', objects), settings.REDIS_URL).toBe(true);
    expect(serviceFor(settings.OLLAMA_BASE_URL, objects), settings.OLLAMA_BASE_URL).toBe(true);
    if (role === 'worker') expect(settings.REVO_ANALYTICS).toBe(false);
    else expect(serviceFor(settings.CLICKHOUSE_URL ?? '', objects), 'CLICKHOUSE_URL').toBe(true);
  });

  it('give the web container no reVo server settings (its API address is built into the image)', () => {
    const [web] = podSpecs(find(objects, 'Deployment', 'web')).flatMap(containersOf);
    expect(web?.env).toBeUndefined();
    expect(web?.envFrom).toBeUndefined();
  });
});
