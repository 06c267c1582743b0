import { describe, expect, it } from 'vitest';
import { splitImage } from '../tools/kustomize';
import { type Manifest, containersOf, idOf, isObject, objectAt, objectsAt, podSpecs } from '../tools/manifest';
import { validateObjects } from '../tools/validate-objects';
import { resolveEnv } from './container-env';
import { OVERLAYS, find, podsOf, render, selects } from './overlays';

const WORKLOADS = new Set(['Deployment', 'StatefulSet']);
/** Containers allowed a writable root filesystem, and why. */
const WRITABLE_ROOT: Record<string, string> = {
  clickhouse: "the image's entrypoint writes its user file into /etc/clickhouse-server/users.d",
};

function workloads(objects: Manifest[]) {
  return objects.filter((o) => WORKLOADS.has(o.kind));
}

function containers(objects: Manifest[]) {
  return workloads(objects).flatMap((owner) =>
    podSpecs(owner).flatMap((spec) => containersOf(spec).map((container) => ({ owner, spec, container }))),
  );
}

describe.each(OVERLAYS)('the %s manifests', (overlay) => {
  const objects = render(overlay);

  it('are accepted by the Kubernetes API schemas, unknown fields included', async () => {
    expect(await validateObjects(objects)).toEqual([]);
  });

  it('put every namespaced object into the namespace they create', () => {
    const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(namespaces).toHaveLength(1);
    for (const o of objects.filter((o) => o.kind !== 'Namespace'))
      expect(o.metadata.namespace, idOf(o)).toBe(namespaces[0]);
  });

  it('give every container liveness and readiness probes on a port it declares', () => {
    for (const { owner, container } of containers(objects)) {
      const ports = objectsAt(container.ports).flatMap((p) => [p.name, p.containerPort]);
      for (const kind of ['livenessProbe', 'readinessProbe']) {
        const probe = objectAt(container[kind]);
        const where = `${idOf(owner)} ${String(container.name)} ${kind}`;
        expect(Object.keys(probe).length, where).toBeGreaterThan(0);
        const port = objectAt(probe.httpGet ?? probe.tcpSocket).port;
        if (port !== undefined) expect(ports, where).toContain(port);
        else expect(objectAt(probe.exec).command, where).toBeDefined();
      }
    }
  });

  it('give every container CPU and memory requests and limits', () => {
    for (const { owner, container } of containers(objects)) {
      const { requests, limits } = objectAt(container.resources);
      for (const amounts of [requests, limits]) {
        expect(Object.keys(objectAt(amounts)), `${idOf(owner)} ${String(container.name)}`).toEqual(
          expect.arrayContaining(['cpu', 'memory']),
        );
      }
    }
  });

  it('run every container as a non-root user without privilege escalation or capabilities', () => {
    for (const { owner, spec, container } of containers(objects)) {
      const pod = objectAt(spec.securityContext);
      const own = objectAt(container.securityContext);
      const where = `${idOf(owner)} ${String(container.name)}`;
      expect(own.runAsNonRoot ?? pod.runAsNonRoot, where).toBe(true);
      expect(own.runAsUser ?? pod.runAsUser, where).toBeGreaterThan(0);
      expect(own.allowPrivilegeEscalation, where).toBe(false);
      expect(objectAt(own.capabilities).drop, where).toEqual(['ALL']);
      expect(own.readOnlyRootFilesystem, where).toBe(!(String(container.name) in WRITABLE_ROOT));
      expect(spec.automountServiceAccountToken, where).toBe(false);
    }
  });

  it('pin a tagged image on every container', () => {
    for (const { owner, container } of containers(objects)) {
      const image = splitImage(String(container.image ?? ''));
      expect(image.name, idOf(owner)).not.toBe('');
      expect(image.tag ?? image.digest, `${idOf(owner)} ${String(container.image)}`).toMatch(/^(?!latest$)./);
    }
  });

  it('select pods with every Service, PodDisruptionBudget and NetworkPolicy, and name ports the pods have', () => {
    const pods = podsOf(objects);
    for (const o of objects) {
      const spec = objectAt(o.spec);
      if (o.kind === 'Service') {
        const chosen = pods.filter((p) => selects({ matchLabels: spec.selector }, p.labels));
        expect(chosen.length, idOf(o)).toBeGreaterThan(0);
        const names = chosen.flatMap((p) => containersOf(p.spec).flatMap((c) => objectsAt(c.ports).map((x) => x.name)));
        for (const port of objectsAt(spec.ports)) expect(names, idOf(o)).toContain(port.targetPort);
      }
      if (o.kind === 'PodDisruptionBudget') {
        expect(pods.filter((p) => selects(spec.selector, p.labels)).length, idOf(o)).toBeGreaterThan(0);
      }
      if (o.kind === 'NetworkPolicy') {
        const peers = objectsAt(spec.ingress).flatMap((rule) => objectsAt(rule.from));
        for (const selector of [spec.podSelector, ...peers.map((peer) => peer.podSelector)]) {
          expect(
            pods.some((p) => selects(selector, p.labels)),
            `${idOf(o)} ${JSON.stringify(selector)}`,
          ).toBe(true);
        }
      }
    }
  });

  it('refer only to ConfigMaps, Secrets and keys that exist', () => {
    for (const { owner, spec, container } of containers(objects)) {
      expect(resolveEnv(container, owner, objects).problems, idOf(owner)).toEqual([]);
      for (const volume of objectsAt(spec.volumes)) {
        const ref = volume.configMap ?? volume.secret;
        if (!isObject(ref)) continue;
        const kind = volume.configMap ? 'ConfigMap' : 'Secret';
        const name = kind === 'Secret' ? ref.secretName : ref.name;
        expect(() => find(objects, kind, String(name)), idOf(owner)).not.toThrow();
      }
    }
  });

  it('route the Ingress to Services and ports that exist', () => {
    for (const ingress of objects.filter((o) => o.kind === 'Ingress')) {
      const paths = objectsAt(objectAt(ingress.spec).rules).flatMap((r) => objectsAt(objectAt(r.http).paths));
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) {
        const backend = objectAt(objectAt(path.backend).service);
        const service = find(objects, 'Service', String(backend.name));
        const port = objectAt(backend.port);
        expect(
          objectsAt(objectAt(service.spec).ports).some((p) => p.name === port.name || p.port === port.number),
        ).toBe(true);
      }
    }
  });

  it('govern each StatefulSet with a headless Service of its name', () => {
    for (const set of objects.filter((o) => o.kind === 'StatefulSet')) {
      const service = find(objects, 'Service', String(objectAt(set.spec).serviceName));
      expect(objectAt(service.spec).clusterIP, idOf(set)).toBe('None');
    }
  });

  it('scale the worker Deployment with an autoscaling/v2 HPA, and leave its replicas to it', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'worker');
    const spec = objectAt(hpa.spec);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' });
    expect(objectAt(find(objects, 'Deployment', 'worker').spec).replicas).toBeUndefined();
    expect(Number(spec.minReplicas)).toBeLessThanOrEqual(Number(spec.maxReplicas));
  });

  it('give the server, worker and web Deployments a PodDisruptionBudget', () => {
    for (const name of ['server', 'worker', 'web']) {
      const labels = podsOf([find(objects, 'Deployment', name)])[0]?.labels ?? {};
      const budgets = objects.filter(
        (o) => o.kind === 'PodDisruptionBudget' && selects(objectAt(o.spec).selector, labels),
      );
      expect(budgets.map((b) => b.metadata.name)).toEqual([name]);
    }
  });
});
