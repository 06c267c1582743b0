import { describe, expect, it } from 'vitest';
import { type KustomizeFiles, kustomize, splitImage } from './kustomize';
import { type Manifest, containersOf, objectAt, podSpecs } from './manifest';

/** Files from a record of absolute paths, for kustomizations that live only in the test. */
function memory(files: Record<string, string>): KustomizeFiles {
  return {
    read: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      return text;
    },
    isDirectory: (path) => Object.keys(files).some((f) => f.startsWith(`${path}/`)),
  };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: app }
spec:
  replicas: 2
  selector: { matchLabels: { app: x } }
  template:
    metadata: { labels: { app: x } }
    spec:
      containers:
        - name: app
          image: registry:5000/team/app:1.0
          args: [serve]
          envFrom: [{ configMapRef: { name: cfg } }]
          env:
            - { name: A, value: "1" }
            - name: T
              valueFrom: { secretKeyRef: { name: sec, key: TOKEN } }
      volumes:
        - { name: conf, configMap: { name: cfg } }
`;

const BASE = {
  '/k/base/kustomization.yaml': `
namespace: one
resources: [app.yaml, ns.yaml]
configMapGenerator:
  - name: cfg
    literals: [A=1, B=two]
secretGenerator:
  - name: sec
    literals: [TOKEN=abc<>&]
`,
  '/k/base/app.yaml': DEPLOYMENT,
  '/k/base/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: whatever }\n',
};

function overlay(kustomization: string, extra: Record<string, string> = {}): Manifest[] {
  return kustomize('/k/overlay', memory({ ...BASE, '/k/overlay/kustomization.yaml': kustomization, ...extra }));
}

function app(objects: Manifest[]) {
  const deployment = objects.find((o) => o.kind === 'Deployment');
  const [container] = deployment ? podSpecs(deployment).flatMap(containersOf) : [];
  if (!deployment || !container) throw new Error('no app');
  return { deployment, container, spec: objectAt(objectAt(objectAt(deployment.spec).template).spec) };
}

describe('kustomize', () => {
  it('suffixes generated objects with the hash kubectl kustomize gives them', () => {
    // Names and hashes as kubectl kustomize (kustomize v5.5.0) rendered this base.
    const names = kustomize('/k/base', memory(BASE)).map((o) => o.metadata.name);
    expect(names).toContain('cfg-6b56fdfggc');
    expect(names).toContain('sec-md9fgt66fg');
  });

  it('points envFrom, secretKeyRef and volumes at the suffixed names', () => {
    const { container, spec } = app(kustomize('/k/base', memory(BASE)));
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'cfg-6b56fdfggc' } }]);
    expect(JSON.stringify(container.env)).toContain('"sec-md9fgt66fg"');
    expect(spec.volumes).toEqual([{ name: 'conf', configMap: { name: 'cfg-6b56fdfggc' } }]);
  });

  it("merges or replaces an overlay's generator into the base's, hashing the result", () => {
    const merged = overlay(
      'resources: [../base]\nconfigMapGenerator:\n  - { name: cfg, behavior: merge, literals: [C=3] }\n',
    );
    const cfg = merged.find((o) => o.kind === 'ConfigMap');
    expect(cfg?.data).toEqual({ A: '1', B: 'two', C: '3' });
    expect(cfg?.metadata.name).toMatch(/^cfg-(?!6b56fdfggc)[a-z0-9]{10}$/);
    expect(app(merged).container.envFrom).toEqual([{ configMapRef: { name: cfg?.metadata.name } }]);
    const replaced = overlay(
      'resources: [../base]\nsecretGenerator:\n  - { name: sec, behavior: replace, envs: [s.env] }\n',
      { '/k/overlay/s.env': '# comment\nOTHER=x=y\n' },
    );
    expect(replaced.find((o) => o.kind === 'Secret')?.data).toEqual({ OTHER: Buffer.from('x=y').toString('base64') });
  });

  it('moves everything into the namespace, the Namespace object included', () => {
    const objects = overlay('resources: [../base]\nnamespace: two\n');
    expect(objects.find((o) => o.kind === 'Namespace')?.metadata).toEqual({ name: 'two' });
    for (const o of objects.filter((o) => o.kind !== 'Namespace')) expect(o.metadata.namespace).toBe('two');
  });

  it('labels objects and pod templates but leaves selectors alone', () => {
    const objects = overlay('resources: [../base]\nlabels:\n  - pairs: { team: a }\n    includeTemplates: true\n');
    const { deployment } = app(objects);
    expect(deployment.metadata.labels).toEqual({ team: 'a' });
    expect(objectAt(deployment.spec).selector).toEqual({ matchLabels: { app: 'x' } });
    expect(objectAt(objectAt(objectAt(deployment.spec).template).metadata).labels).toEqual({ app: 'x', team: 'a' });
  });

  it('sets images by name and replicas by object name', () => {
    const objects = overlay(
      'resources: [../base]\nimages:\n  - { name: registry:5000/team/app, newName: other/app }\nreplicas:\n  - { name: app, count: 5 }\n',
    );
    expect(app(objects).container.image).toBe('other/app:1.0');
    expect(objectAt(app(objects).deployment.spec).replicas).toBe(5);
    expect(() => overlay('resources: [../base]\nreplicas:\n  - { name: nope, count: 1 }\n')).toThrow(/nope/);
  });

  it('applies strategic merge patches by kind and name, and JSON patches to their target', () => {
    const objects = overlay(
      `resources: [../base]
patches:
  - path: smp.yaml
  - target: { kind: Deployment, name: app }
    patch: |-
      - { op: replace, path: /spec/replicas, value: 7 }
`,
      {
        '/k/overlay/smp.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec:\n  template:\n    spec:\n      containers:\n        - { name: app, args: [other] }\n',
      },
    );
    const { container, deployment } = app(objects);
    expect(container.args).toEqual(['other']);
    expect(container.image).toBe('registry:5000/team/app:1.0');
    expect(objectAt(deployment.spec).replicas).toBe(7);
  });

  it('refuses kustomization fields, generator fields and env lines it does not implement', () => {
    expect(() => overlay('resources: [../base]\nnamePrefix: x-\n')).toThrow(/namePrefix/);
    expect(() => overlay('resources: [../base]\nconfigMapGenerator:\n  - { name: c, options: {} }\n')).toThrow(
      /options/,
    );
    expect(() =>
      overlay('resources: [../base]\nconfigMapGenerator:\n  - { name: c, envs: [e.env] }\n', {
        '/k/overlay/e.env': 'HOME\n',
      }),
    ).toThrow(/HOME/);
    const again = DEPLOYMENT.replace('{ name: app }', '{ name: app, namespace: one }');
    expect(() => overlay('resources: [../base, again.yaml]\n', { '/k/overlay/again.yaml': again })).toThrow(
      /Deployment\/app is defined twice/,
    );
  });
});

describe('splitImage', () => {
  it('tells a registry port from a tag', () => {
    expect(splitImage('registry:5000/team/app')).toEqual({ name: 'registry:5000/team/app' });
    expect(splitImage('redis:7.4-alpine')).toEqual({ name: 'redis', tag: '7.4-alpine' });
    expect(splitImage('app@sha256:abc')).toEqual({ name: 'app', digest: 'sha256:abc' });
  });
});
