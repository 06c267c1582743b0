import { isDeepStrictEqual } from 'node:util';
import { type JsonObject, isObject } from './manifest';

/**
 * Lists merged item by item in a strategic-merge patch, and the field that identifies an item
 * (Kubernetes' `patchMergeKey`s for the fields our manifests patch). Other lists are replaced.
 */
const MERGE_KEYS: Record<string, (item: JsonObject) => string> = {
  containers: () => 'name',
  initContainers: () => 'name',
  env: () => 'name',
  volumes: () => 'name',
  volumeMounts: () => 'mountPath',
  imagePullSecrets: () => 'name',
  // Container ports merge on containerPort, Service ports on port.
  ports: (item) => ('containerPort' in item ? 'containerPort' : 'port'),
};

/**
 * Applies a strategic-merge patch to `target` in place: maps merge key by key (`null` deletes a
 * key), lists named in MERGE_KEYS merge by their key (`$patch: delete` on an item removes it), other
 * lists and scalars are replaced.
 */
export function strategicMerge(target: JsonObject, patch: JsonObject, path = ''): void {
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) throw new Error(`${path}/${key}: the patch directive ${key} is not supported`);
    const here = `${path}/${key}`;
    const current = target[key];
    if (value === null) delete target[key];
    else if (isObject(value) && isObject(current)) strategicMerge(current, value, here);
    else if (Array.isArray(value) && Array.isArray(current) && MERGE_KEYS[key]) {
      target[key] = mergeList(current, value, MERGE_KEYS[key], here);
    } else target[key] = structuredClone(value);
  }
}

function mergeList(current: unknown[], patch: unknown[], keyOf: (item: JsonObject) => string, path: string) {
  const result = [...current];
  for (const item of patch) {
    if (!isObject(item)) throw new Error(`${path}: items of a merged list must be objects`);
    const key = keyOf(item);
    if (item[key] === undefined) throw new Error(`${path}: an item has no ${key}, the list's merge key`);
    const at = result.findIndex((existing) => isObject(existing) && existing[key] === item[key]);
    const { $patch, ...rest } = item;
    if ($patch === 'delete') {
      if (at >= 0) result.splice(at, 1);
    } else if ($patch !== undefined) {
      throw new Error(`${path}: $patch: ${String($patch)} is not supported`);
    } else if (at >= 0) {
      strategicMerge(result[at] as JsonObject, rest, `${path}[${key}=${String(item[key])}]`);
    } else result.push(structuredClone(rest));
  }
  return result;
}

/** One operation of a JSON patch (RFC 6902); `add`, `remove`, `replace` and `test` are supported. */
export interface JsonPatchOperation {
  op: string;
  path: string;
  value?: unknown;
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`"${pointer}" is not a JSON pointer (it must start with /)`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Applies JSON patch operations to `target` in place, in order; an operation that cannot apply throws. */
export function applyJsonPatch(target: JsonObject, operations: JsonPatchOperation[]): void {
  for (const { op, path, value } of operations) {
    const parts = tokens(path);
    const last = parts.pop();
    if (last === undefined) throw new Error(`${op} ${path}: patching the whole object is not supported`);
    let parent: unknown = target;
    for (const part of parts) {
      parent = Array.isArray(parent) ? parent[Number(part)] : isObject(parent) ? parent[part] : undefined;
      if (parent === undefined) throw new Error(`${op} ${path}: ${part} does not exist`);
    }
    const fail = (why: string) => new Error(`${op} ${path}: ${why}`);
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length) throw fail('index out of range');
      const exists = index < parent.length;
      if (op === 'add') parent.splice(index, 0, structuredClone(value));
      else if (op === 'replace' && exists) parent[index] = structuredClone(value);
      else if (op === 'remove' && exists) parent.splice(index, 1);
      else if (op === 'test' && exists && isDeepStrictEqual(parent[index], value)) continue;
      else throw fail(op === 'test' ? 'the value differs' : `unsupported operation or no item ${last}`);
    } else if (isObject(parent)) {
      const exists = last in parent;
      if (op === 'add' || (op === 'replace' && exists)) parent[last] = structuredClone(value);
      else if (op === 'remove' && exists) delete parent[last];
      else if (op === 'test' && exists && isDeepStrictEqual(parent[last], value)) continue;
      else throw fail(op === 'test' ? 'the value differs' : `unsupported operation or no field ${last}`);
    } else throw fail('its parent is not an object or array');
  }
}
