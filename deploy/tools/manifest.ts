/** A JSON object as parsed from YAML: anything may be in it until looked at. */
export type JsonObject = { [key: string]: unknown };

/** A Kubernetes object: the fields every kind has, the rest as parsed. */
export type Manifest = JsonObject & {
  apiVersion: string;
  kind: string;
  metadata: JsonObject & { name: string; namespace?: string; labels?: Record<string, string> };
};

/** Whether `value` is a plain object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `value`, or an empty one when it is anything else (for reading, never writing). */
export function objectAt(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

/** The objects in the array at `value`, or none when it is not an array. */
export function objectsAt(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** Checks that parsed YAML is a Kubernetes object (apiVersion, kind, metadata.name); throws naming `source`. */
export function asManifest(value: unknown, source: string): Manifest {
  const metadata = isObject(value) ? value.metadata : undefined;
  if (
    !isObject(value) ||
    typeof value.apiVersion !== 'string' ||
    typeof value.kind !== 'string' ||
    !isObject(metadata) ||
    typeof metadata.name !== 'string'
  ) {
    throw new Error(`${source}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
  }
  return value as Manifest;
}

/** `Kind/name`, how objects are named in messages. */
export function idOf(m: Manifest): string {
  return `${m.kind}/${m.metadata.name}`;
}

const TEMPLATED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** The pod templates (`{ metadata, spec }`) of a workload: one for Deployments and the like, none for other kinds. */
export function podTemplates(m: Manifest): JsonObject[] {
  const spec = objectAt(m.spec);
  if (TEMPLATED.has(m.kind) && isObject(spec.template)) return [spec.template];
  if (m.kind === 'CronJob') {
    const template = objectAt(objectAt(objectAt(spec.jobTemplate).spec).template);
    return Object.keys(template).length > 0 ? [template] : [];
  }
  return [];
}

/** The pod specs of an object: its templates' specs, or a Pod's own spec. */
export function podSpecs(m: Manifest): JsonObject[] {
  if (m.kind === 'Pod') return isObject(m.spec) ? [m.spec] : [];
  return podTemplates(m)
    .map((t) => t.spec)
    .filter(isObject);
}

/** Every container of a pod spec, init containers first. */
export function containersOf(podSpec: JsonObject): JsonObject[] {
  return [...objectsAt(podSpec.initContainers), ...objectsAt(podSpec.containers)];
}
