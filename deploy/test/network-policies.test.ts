import { describe, expect, it } from 'vitest';
import { type Manifest, containersOf, objectAt, objectsAt } from '../tools/manifest';
import { OVERLAYS, type PodShape, podsOf, render, selects } from './overlays';

const COMPONENT = 'app.kubernetes.io/component';

/** Whether traffic from `source` (a pod, or `outside` the namespace) may reach `target` on `port`. */
function allowed(policies: Manifest[], source: PodShape | 'outside', target: PodShape, port: number): boolean {
  const selecting = policies.filter((p) => {
    const spec = objectAt(p.spec);
    const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : ['Ingress'];
    return types.includes('Ingress') && selects(spec.podSelector, target.labels);
  });
  if (selecting.length === 0) return true;
  const named = (name: unknown) =>
    containersOf(target.spec)
      .flatMap((c) => objectsAt(c.ports))
      .find((p) => p.name === name)?.containerPort;
  return selecting.some((policy) =>
    objectsAt(objectAt(policy.spec).ingress).some((rule) => {
      const from = objectsAt(rule.from);
      const sourceOk =
        from.length === 0 ||
        (source !== 'outside' && from.some((peer) => peer.podSelector && selects(peer.podSelector, source.labels)));
      const ports = objectsAt(rule.ports);
      const portOk =
        ports.length === 0 || ports.some((p) => (typeof p.port === 'number' ? p.port : named(p.port)) === port);
      return sourceOk && portOk;
    }),
  );
}

/** Who may reach whom, and on which port (`outside` means anyone); every other pair must be refused. */
const EXPECTED: [string, string, number][] = [
  ['outside', 'web', 3000],
  ['outside', 'server', 4000],
  ['web', 'server', 4000],
  ['server', 'redis', 6379],
  ['worker', 'redis', 6379],
  ['ingester', 'redis', 6379],
  ['server', 'clickhouse', 8123],
  ['ingester', 'clickhouse', 8123],
  ['worker', 'ollama', 11434],
  ['server', 'ollama', 11434],
];

describe.each(OVERLAYS)('the network policies of %s', (overlay) => {
  const objects = render(overlay);
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const pods = podsOf(objects);
  const pod = (component: string) => {
    const found = pods.find((p) => p.labels[COMPONENT] === component);
    if (!found) throw new Error(`no pod is ${component}`);
    return found;
  };
  const components = pods.map((p) => p.labels[COMPONENT] ?? '');

  it('deny all ingress unless a policy allows it', () => {
    const deny = policies.find((p) => p.metadata.name === 'default-deny-ingress');
    expect(objectAt(deny?.spec)).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });

  it.each(EXPECTED)('let %s reach %s on port %i', (from, to, port) => {
    expect(allowed(policies, from === 'outside' ? from : pod(from), pod(to), port)).toBe(true);
  });

  it('refuse every other pair of components', () => {
    const refused: string[] = [];
    const opened: string[] = [];
    for (const from of ['outside', ...components]) {
      for (const to of components) {
        const ports = containersOf(pod(to).spec).flatMap((c) => objectsAt(c.ports).map((p) => Number(p.containerPort)));
        for (const port of ports) {
          const pass = allowed(policies, from === 'outside' ? from : pod(from), pod(to), port);
          const expected = EXPECTED.some(([f, t, p]) => (f === from || f === 'outside') && t === to && p === port);
          if (pass && !expected) opened.push(`${from} -> ${to}:${port}`);
          if (!pass && expected) refused.push(`${from} -> ${to}:${port}`);
        }
      }
    }
    expect(opened).toEqual([]);
    expect(refused).toEqual([]);
  });
});
