import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  type KustomizeFiles,
  contentHash,
  entryData,
  generatedObject,
  generatorEntry,
  parseEnvFile,
} from './generators';
import {
  type JsonObject,
  type Manifest,
  asManifest,
  containersOf,
  idOf,
  isObject,
  objectAt,
  objectsAt,
  podSpecs,
  podTemplates,
} from './manifest';
import { type JsonPatchOperation, applyJsonPatch, strategicMerge } from './patch';

export { parseEnvFile };
export type { KustomizeFiles };

/** Reads the real files. */
export const diskFiles: KustomizeFiles = {
  read: (path) => readFileSync(path, 'utf8'),
  isDirectory: (path) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
};

/**
 * The kustomization.yaml fields this renderer understands. Anything else throws, so the manifests
 * cannot drift into features it would silently ignore (and render differently from kubectl).
 */
const FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'labels',
  'images',
  'replicas',
  'patches',
  'configMapGenerator',
  'secretGenerator',
]);

/** A rendered object, and whether a generator made it (it then gets a content-hash suffix at the end). */
interface Resource {
  object: Manifest;
  generated: boolean;
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass']);
const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

function list(k: JsonObject, field: string, where: string): unknown[] {
  const value = k[field];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: ${field} must be a list`);
  return value;
}

function parseObjects(text: string, source: string): Manifest[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]?.message}`);
      return doc.toJS() as unknown;
    })
    .filter((value) => value !== null && value !== undefined)
    .map((value) => asManifest(value, source));
}

function build(dir: string, files: KustomizeFiles, parents: string[]): Resource[] {
  if (parents.includes(dir)) throw new Error(`${dir}: resources form a cycle`);
  const where = join(dir, 'kustomization.yaml');
  const k = objectAt(parse(files.read(where)));
  for (const field of Object.keys(k)) {
    if (!FIELDS.has(field)) throw new Error(`${where}: "${field}" is not supported by this renderer`);
  }
  let resources: Resource[] = [];
  for (const entry of list(k, 'resources', where)) {
    const path = resolve(dir, String(entry));
    if (files.isDirectory(path)) resources.push(...build(path, files, [...parents, dir]));
    else resources.push(...parseObjects(files.read(path), path).map((object) => ({ object, generated: false })));
  }
  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const raw of list(k, field, where))
      resources = generate(resources, kind, generatorEntry(raw, where), dir, files);
  }
  for (const raw of list(k, 'patches', where)) patch(resources, objectAt(raw), dir, files, where);
  if (typeof k.namespace === 'string') setNamespace(resources, k.namespace);
  for (const raw of list(k, 'labels', where)) addLabels(resources, objectAt(raw), where);
  for (const raw of list(k, 'replicas', where)) setReplicas(resources, objectAt(raw), where);
  for (const raw of list(k, 'images', where)) setImage(resources, objectAt(raw));
  const seen = new Set<string>();
  for (const { object } of resources) {
    const id = `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
    if (seen.has(id)) throw new Error(`${where}: ${idOf(object)} is defined twice`);
    seen.add(id);
  }
  return resources;
}

function generate(
  resources: Resource[],
  kind: 'ConfigMap' | 'Secret',
  entry: ReturnType<typeof generatorEntry>,
  dir: string,
  files: KustomizeFiles,
): Resource[] {
  const data = entryData(entry, dir, files);
  const existing = resources.find((r) => r.object.kind === kind && r.object.metadata.name === entry.name);
  const behavior = entry.behavior ?? 'create';
  if (behavior === 'create') {
    if (existing) throw new Error(`${dir}: ${kind}/${entry.name} exists already (use behavior: merge or replace)`);
    return [...resources, { object: generatedObject(kind, entry.name, data, entry.type), generated: true }];
  }
  if (!existing) throw new Error(`${dir}: behavior ${behavior} needs an existing ${kind}/${entry.name}`);
  const fresh = generatedObject(kind, entry.name, data, entry.type ?? (existing.object.type as string | undefined));
  existing.object.data =
    behavior === 'merge' ? { ...objectAt(existing.object.data), ...objectAt(fresh.data) } : fresh.data;
  if (kind === 'Secret') existing.object.type = fresh.type;
  return resources;
}

function targets(resources: Resource[], selector: JsonObject, where: string): Manifest[] {
  for (const key of Object.keys(selector)) {
    if (!['kind', 'name', 'group', 'version'].includes(key))
      throw new Error(`${where}: target.${key} is not supported`);
  }
  const name = typeof selector.name === 'string' ? new RegExp(`^(?:${selector.name})$`) : undefined;
  const matches = resources
    .map((r) => r.object)
    .filter((o) => {
      const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
      return (
        (selector.kind === undefined || selector.kind === o.kind) &&
        (name === undefined || name.test(o.metadata.name)) &&
        (selector.group === undefined || selector.group === group) &&
        (selector.version === undefined || selector.version === version)
      );
    });
  if (matches.length === 0) throw new Error(`${where}: no object matches the patch target ${JSON.stringify(selector)}`);
  return matches;
}

function patch(resources: Resource[], entry: JsonObject, dir: string, files: KustomizeFiles, where: string) {
  for (const key of Object.keys(entry)) {
    if (!['path', 'patch', 'target'].includes(key)) throw new Error(`${where}: patches[].${key} is not supported`);
  }
  const text = typeof entry.path === 'string' ? files.read(resolve(dir, entry.path)) : entry.patch;
  if (typeof text !== 'string') throw new Error(`${where}: a patch needs path or patch`);
  const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown);
  if (docs.length === 1 && Array.isArray(docs[0])) {
    if (!isObject(entry.target)) throw new Error(`${where}: a JSON patch needs a target`);
    for (const object of targets(resources, entry.target, where)) {
      applyJsonPatch(object, docs[0] as JsonPatchOperation[]);
    }
    return;
  }
  for (const doc of docs) {
    const smp = asManifest(doc, `${where}: patch`);
    const selector = isObject(entry.target) ? entry.target : { kind: smp.kind, name: smp.metadata.name };
    for (const object of targets(resources, selector, where)) {
      const { apiVersion: _a, kind: _k, metadata, ...rest } = smp;
      const { name: _n, ...meta } = metadata;
      strategicMerge(object, { ...rest, ...(Object.keys(meta).length > 0 ? { metadata: meta } : {}) });
    }
  }
}

function setNamespace(resources: Resource[], namespace: string) {
  for (const { object } of resources) {
    if (object.kind === 'Namespace') object.metadata.name = namespace;
    else if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = namespace;
  }
}

function addLabels(resources: Resource[], entry: JsonObject, where: string) {
  if (entry.includeSelectors === true) throw new Error(`${where}: labels with includeSelectors are not supported`);
  const pairs = objectAt(entry.pairs) as Record<string, string>;
  const into = (metadata: JsonObject) => {
    metadata.labels = { ...objectAt(metadata.labels), ...pairs };
  };
  for (const { object } of resources) {
    into(object.metadata);
    if (entry.includeTemplates !== true) continue;
    for (const template of podTemplates(object)) {
      template.metadata = objectAt(template.metadata);
      into(template.metadata as JsonObject);
    }
    if (object.kind === 'StatefulSet') {
      for (const claim of objectsAt(objectAt(object.spec).volumeClaimTemplates)) {
        claim.metadata = objectAt(claim.metadata);
        into(claim.metadata as JsonObject);
      }
    }
  }
}

function setReplicas(resources: Resource[], entry: JsonObject, where: string) {
  const matches = resources.filter((r) => SCALABLE.has(r.object.kind) && r.object.metadata.name === entry.name);
  if (matches.length === 0) throw new Error(`${where}: replicas: nothing to scale is named ${String(entry.name)}`);
  for (const { object } of matches) object.spec = { ...objectAt(object.spec), replicas: entry.count };
}

/** Splits `registry:5000/name:tag@sha256:...` into name, tag and digest. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [rest = '', digest] = image.split('@');
  const colon = rest.lastIndexOf(':');
  const tagged = colon > rest.lastIndexOf('/');
  return {
    name: tagged ? rest.slice(0, colon) : rest,
    ...(tagged ? { tag: rest.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}

function setImage(resources: Resource[], entry: JsonObject) {
  for (const { object } of resources) {
    for (const container of podSpecs(object).flatMap(containersOf)) {
      if (typeof container.image !== 'string') continue;
      const image = splitImage(container.image);
      if (image.name !== entry.name) continue;
      const name = typeof entry.newName === 'string' ? entry.newName : image.name;
      const tag = entry.newTag !== undefined ? String(entry.newTag) : image.tag;
      const digest = typeof entry.digest === 'string' ? entry.digest : image.digest;
      container.image = digest ? `${name}@${digest}` : tag ? `${name}:${tag}` : name;
    }
  }
}

/** Points a pod spec's references to ConfigMaps and Secrets at their hashed names. */
function renameReferences(podSpec: JsonObject, renamed: (kind: string, name: unknown) => string | undefined) {
  const swap = (ref: unknown, kind: string, field = 'name') => {
    if (!isObject(ref)) return;
    const to = renamed(kind, ref[field]);
    if (to) ref[field] = to;
  };
  for (const container of containersOf(podSpec)) {
    for (const from of objectsAt(container.envFrom)) {
      swap(from.configMapRef, 'ConfigMap');
      swap(from.secretRef, 'Secret');
    }
    for (const variable of objectsAt(container.env)) {
      swap(objectAt(variable.valueFrom).configMapKeyRef, 'ConfigMap');
      swap(objectAt(variable.valueFrom).secretKeyRef, 'Secret');
    }
  }
  for (const volume of objectsAt(podSpec.volumes)) {
    swap(volume.configMap, 'ConfigMap');
    swap(volume.secret, 'Secret', 'secretName');
    for (const source of objectsAt(objectAt(volume.projected).sources)) {
      swap(source.configMap, 'ConfigMap');
      swap(source.secret, 'Secret');
    }
  }
  for (const pullSecret of objectsAt(podSpec.imagePullSecrets)) swap(pullSecret, 'Secret');
}

const ORDER = ['Namespace', 'ConfigMap', 'Secret', 'Service', 'Deployment', 'StatefulSet', 'PodDisruptionBudget'];

/**
 * Renders a kustomization directory like `kubectl kustomize <dir>`, for the subset of kustomize
 * the manifests use (see FIELDS): resources, namespace, labels, images, replicas, patches
 * (strategic merge and JSON 6902) and generators with content-hash name suffixes.
 */
export function kustomize(dir: string, files: KustomizeFiles = diskFiles): Manifest[] {
  const resources = build(resolve(dir), files, []);
  const names = new Map<string, string>();
  for (const r of resources.filter((r) => r.generated)) {
    const to = `${r.object.metadata.name}-${contentHash(r.object)}`;
    names.set(`${r.object.kind}/${r.object.metadata.namespace ?? ''}/${r.object.metadata.name}`, to);
    r.object.metadata.name = to;
  }
  for (const { object } of resources) {
    const ns = object.metadata.namespace ?? '';
    for (const spec of podSpecs(object)) {
      renameReferences(spec, (kind, name) => names.get(`${kind}/${ns}/${String(name)}`));
    }
  }
  const rank = (kind: string) => (ORDER.includes(kind) ? ORDER.indexOf(kind) : ORDER.length);
  return resources
    .map((r) => r.object)
    .sort((a, b) => rank(a.kind) - rank(b.kind) || a.kind.localeCompare(b.kind) || idOf(a).localeCompare(idOf(b)));
}
