import { type JsonObject, type Manifest, objectAt, objectsAt } from '../tools/manifest';

/** What a container's environment comes to, and every reference that did not resolve. */
export interface ResolvedEnv {
  env: Record<string, string>;
  problems: string[];
}

/** Values the downward API would give, made up for a pod of `owner`. */
function field(path: unknown, owner: Manifest): string | undefined {
  switch (path) {
    case 'metadata.name':
      return `${owner.metadata.name}-7d9f8b6c5d-x2x4z`;
    case 'metadata.namespace':
      return owner.metadata.namespace ?? 'default';
    case 'status.podIP':
      return '10.0.0.12';
    default:
      return undefined;
  }
}

function data(object: Manifest | undefined): Record<string, string> | undefined {
  if (!object) return undefined;
  const raw = objectAt(object.data) as Record<string, string>;
  if (object.kind !== 'Secret') return raw;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/** `$(NAME)` as Kubernetes expands it in env values: defined names only, `$$` for a literal `$`. */
export function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, name?: string) =>
    name === undefined ? '$' : (env[name] ?? match),
  );
}

/**
 * A container's environment as the kubelet builds it: `envFrom` first, then `env` in order (later
 * names win, `$(NAME)` expands names defined before), ConfigMaps and Secrets looked up among
 * `objects` in the owner's namespace. A missing object or key is a problem unless marked optional.
 */
export function resolveEnv(container: JsonObject, owner: Manifest, objects: Manifest[]): ResolvedEnv {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  const lookup = (kind: string, ref: JsonObject) => {
    const object = objects.find(
      (o) => o.kind === kind && o.metadata.name === ref.name && o.metadata.namespace === owner.metadata.namespace,
    );
    if (!object && ref.optional !== true) problems.push(`${kind}/${String(ref.name)} does not exist`);
    return data(object);
  };
  for (const from of objectsAt(container.envFrom)) {
    const [kind, ref] = from.configMapRef ? ['ConfigMap', from.configMapRef] : ['Secret', from.secretRef];
    const values = lookup(kind, objectAt(ref)) ?? {};
    for (const [k, v] of Object.entries(values)) env[`${String(from.prefix ?? '')}${k}`] = v;
  }
  for (const variable of objectsAt(container.env)) {
    const name = String(variable.name);
    if (typeof variable.value === 'string') {
      env[name] = expand(variable.value, env);
      continue;
    }
    const from = objectAt(variable.valueFrom);
    const keyRef = from.configMapKeyRef ?? from.secretKeyRef;
    if (keyRef) {
      const ref = objectAt(keyRef);
      const values = lookup(from.configMapKeyRef ? 'ConfigMap' : 'Secret', ref);
      const value = values?.[String(ref.key)];
      if (values && value === undefined) problems.push(`${name}: no key ${String(ref.key)} in ${String(ref.name)}`);
      if (value !== undefined) env[name] = value;
    } else if (from.fieldRef) {
      const value = field(objectAt(from.fieldRef).fieldPath, owner);
      if (value === undefined) problems.push(`${name}: unexpected fieldRef`);
      else env[name] = value;
    } else problems.push(`${name}: neither a value nor a supported valueFrom`);
  }
  return { env, problems };
}
