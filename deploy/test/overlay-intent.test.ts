import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../tools/generators';
import { kustomize } from '../tools/kustomize';
import { type Manifest, containersOf, objectAt, objectsAt, podSpecs } from '../tools/manifest';
import { OVERLAYS, K8S, PROD_SECRETS, exampleSecretFiles, find, render } from './overlays';

function replicas(objects: Manifest[], kind: string, name: string) {
  return objectAt(find(objects, kind, name).spec).replicas;
}

function container(objects: Manifest[], kind: string, name: string) {
  const [first] = podSpecs(find(objects, kind, name)).flatMap(containersOf);
  if (!first) throw new Error(`${kind}/${name} has no container`);
  return first;
}

function secretData(objects: Manifest[]) {
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name.startsWith('revo-secrets-'));
  const data = objectAt(secret?.data) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/** The placeholder secrets the base carries (its secretGenerator's literals). */
const PLACEHOLDERS = Object.fromEntries(
  (
    objectAt(objectsAt(objectAt(parse(readFileSync(join(K8S, 'base/kustomization.yaml'), 'utf8'))).secretGenerator)[0])
      .literals as string[]
  ).map((l) => l.split('=', 2) as [string, string]),
);

describe.each(OVERLAYS)('%s', (overlay) => {
  const objects = render(overlay);

  it('runs one ingester unless it writes to a ClickHouse server (embedded chDB allows one process)', () => {
    const env = objectsAt(container(objects, 'Deployment', 'ingester').env).map((e) => e.name);
    if (!env.includes('CLICKHOUSE_URL')) expect(replicas(objects, 'Deployment', 'ingester')).toBe(1);
    else expect(find(objects, 'StatefulSet', 'clickhouse')).toBeDefined();
  });

  it('names each generated ConfigMap and Secret with a content hash, and refers to it by that name', () => {
    const generated = objects.filter((o) => o.kind === 'ConfigMap' || o.kind === 'Secret').map((o) => o.metadata.name);
    expect(generated).toEqual([
      expect.stringMatching(/^revo-config-[a-z0-9]{10}$/),
      expect.stringMatching(/^revo-secrets-[a-z0-9]{10}$/),
    ]);
    const server = JSON.stringify(container(objects, 'Deployment', 'server'));
    for (const name of generated) expect(server).toContain(`"${name}"`);
  });
});

describe('the prod overlay', () => {
  const objects = render('overlays/prod');

  it('runs three API replicas, three web replicas and two ingesters', () => {
    expect(replicas(objects, 'Deployment', 'server')).toBe(3);
    expect(replicas(objects, 'Deployment', 'web')).toBe(3);
    expect(replicas(objects, 'Deployment', 'ingester')).toBe(2);
  });

  it('autoscales workers from 3 to 20', () => {
    expect(objectAt(find(objects, 'HorizontalPodAutoscaler', 'worker').spec)).toMatchObject({
      minReplicas: 3,
      maxReplicas: 20,
    });
  });

  it('gives Ollama one NVIDIA GPU and tolerates GPU nodes', () => {
    const ollama = find(objects, 'StatefulSet', 'ollama');
    expect(objectAt(objectAt(container(objects, 'StatefulSet', 'ollama').resources).limits)['nvidia.com/gpu']).toBe(1);
    expect(objectAt(objectAt(objectAt(ollama.spec).template).spec).tolerations).toContainEqual(
      expect.objectContaining({ key: 'nvidia.com/gpu' }),
    );
  });

  it('pulls the reVo images from the registry at a release tag', () => {
    expect(container(objects, 'Deployment', 'server').image).toBe('registry.example.com/revo/server:0.1.0');
    expect(container(objects, 'Deployment', 'web').image).toBe('registry.example.com/revo/web:0.1.0');
  });

  it('takes its Secret from secrets.env, keeping none of the base placeholders', () => {
    const data = secretData(objects);
    expect(data).toEqual(Object.fromEntries(parseEnvFile(readFileSync(`${PROD_SECRETS}.example`, 'utf8'), 'example')));
    for (const [key, placeholder] of Object.entries(PLACEHOLDERS)) expect(data[key], key).not.toBe(placeholder);
  });

  it('does not render without secrets.env', () => {
    const missing = {
      ...exampleSecretFiles,
      read: (path: string) => {
        if (path === PROD_SECRETS) throw new Error(`ENOENT: no such file ${path}`);
        return exampleSecretFiles.read(path);
      },
    };
    expect(() => kustomize(join(K8S, 'overlays/prod'), missing)).toThrow(/secrets\.env/);
  });

  it('turns GraphiQL off and serves the real host over TLS', () => {
    const config = objects.find((o) => o.kind === 'ConfigMap');
    expect(objectAt(config?.data).REVO_GRAPHIQL).toBe('0');
    const spec = objectAt(find(objects, 'Ingress', 'revo').spec);
    expect(objectsAt(spec.rules)[0]?.host).toBe('revo.example.com');
    expect(spec.tls).toEqual([{ hosts: ['revo.example.com'], secretName: 'revo-tls' }]);
  });
});

describe('the dev overlay', () => {
  const objects = render('overlays/dev');

  it('runs one of each in revo-dev, Ollama without a GPU, on small models', () => {
    expect(replicas(objects, 'Deployment', 'server')).toBe(1);
    expect(replicas(objects, 'Deployment', 'web')).toBe(1);
    expect(find(objects, 'Namespace', 'revo-dev')).toBeDefined();
    expect(JSON.stringify(objects)).not.toContain('nvidia.com/gpu');
    const config = objectAt(objects.find((o) => o.kind === 'ConfigMap')?.data);
    expect(config.REVO_MODELS_GENERAL).toBe('ollama:llama3.2:3b');
  });

  it('runs on the base placeholder secrets (a throwaway cluster only)', () => {
    expect(secretData(objects)).toEqual(PLACEHOLDERS);
  });
});
