import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type KustomizeFiles, diskFiles, kustomize } from '../tools/kustomize';
import { type JsonObject, type Manifest, isObject, objectAt, podTemplates } from '../tools/manifest';

export const DEPLOY = fileURLToPath(new URL('..', import.meta.url));
export const REPO = resolve(DEPLOY, '..');
export const K8S = join(DEPLOY, 'k8s');
export const PROD_SECRETS = join(K8S, 'overlays/prod/secrets.env');

/** The base and every overlay, as paths under deploy/k8s. */
export const OVERLAYS = [
  'base',
  ...readdirSync(join(K8S, 'overlays'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `overlays/${d.name}`),
];

/**
 * Files as on disk, except the prod overlay's secrets.env, which is always its example: the tests
 * neither need a real one nor read it when a developer has one.
 */
export const exampleSecretFiles: KustomizeFiles = {
  read: (path) => diskFiles.read(path === PROD_SECRETS ? `${PROD_SECRETS}.example` : path),
  isDirectory: diskFiles.isDirectory,
};

const rendered = new Map<string, Manifest[]>();

/** An overlay's objects (rendered once, then shared; tests must not change them). */
export function render(overlay: string): Manifest[] {
  let objects = rendered.get(overlay);
  if (!objects) {
    objects = kustomize(join(K8S, overlay), exampleSecretFiles);
    rendered.set(overlay, objects);
  }
  return objects;
}

/** The one object of a kind and name; throws when it is missing. */
export function find(objects: Manifest[], kind: string, name: string): Manifest {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found;
}

/** The pods a workload makes: who owns them, their labels and spec. */
export interface PodShape {
  owner: Manifest;
  labels: Record<string, string>;
  spec: JsonObject;
}

export function podsOf(objects: Manifest[]): PodShape[] {
  return objects.flatMap((owner) =>
    podTemplates(owner).map((t) => ({
      owner,
      labels: objectAt(objectAt(t.metadata).labels) as Record<string, string>,
      spec: objectAt(t.spec),
    })),
  );
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether labels match a Kubernetes label selector (matchLabels and matchExpressions; `{}` matches all). */
export function selects(selector: unknown, labels: Record<string, string>): boolean {
  if (!isObject(selector)) return false;
  const { matchLabels = {}, matchExpressions = [] } = selector as LabelSelector;
  return (
    Object.entries(matchLabels).every(([k, v]) => labels[k] === v) &&
    matchExpressions.every(({ key, operator, values = [] }) => {
      const value = labels[key];
      switch (operator) {
        case 'In':
          return value !== undefined && values.includes(value);
        case 'NotIn':
          return value === undefined || !values.includes(value);
        case 'Exists':
          return value !== undefined;
        case 'DoesNotExist':
          return value === undefined;
        default:
          throw new Error(`unknown selector operator ${operator}`);
      }
    })
  );
}
