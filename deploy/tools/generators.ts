import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { type JsonObject, type Manifest, isObject } from './manifest';

/** How the renderer reads files, so a test can stand in for one (e.g. a secrets.env that is not there). */
export interface KustomizeFiles {
  /** The text of a file; throws when there is none. */
  read(path: string): string;
  /** Whether `path` is a directory. */
  isDirectory(path: string): boolean;
}

/** One `configMapGenerator` / `secretGenerator` entry, the fields this renderer supports. */
interface GeneratorEntry {
  name: string;
  behavior?: 'create' | 'merge' | 'replace';
  literals?: string[];
  envs?: string[];
  files?: string[];
  type?: string;
}

const ENTRY_FIELDS = new Set(['name', 'behavior', 'literals', 'envs', 'files', 'type']);

/** Validates a generator entry from a kustomization.yaml; unsupported fields throw rather than being ignored. */
export function generatorEntry(value: unknown, where: string): GeneratorEntry {
  if (!isObject(value) || typeof value.name !== 'string') throw new Error(`${where}: a generator needs a name`);
  for (const key of Object.keys(value)) {
    if (!ENTRY_FIELDS.has(key)) throw new Error(`${where}: generator field "${key}" is not supported`);
  }
  const behavior = value.behavior ?? 'create';
  if (behavior !== 'create' && behavior !== 'merge' && behavior !== 'replace') {
    throw new Error(`${where}: behavior must be create, merge or replace`);
  }
  return value as unknown as GeneratorEntry;
}

function pair(source: string, where: string): [string, string] {
  const at = source.indexOf('=');
  if (at <= 0) throw new Error(`${where}: "${source}" is not KEY=VALUE`);
  return [source.slice(0, at), source.slice(at + 1)];
}

/** KEY=VALUE lines as kustomize reads an env file: leading blanks and `#` lines skipped, values kept as written. */
export function parseEnvFile(text: string, where: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trimStart();
    if (line === '' || line.startsWith('#')) continue;
    // A bare KEY would make kustomize read the value from the caller's environment: refuse it.
    if (!line.includes('='))
      throw new Error(`${where}: "${line}" has no "=" (values from the environment are not supported)`);
    const [key, value] = pair(line, where);
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) throw new Error(`${where}: "${key}" is not a valid variable name`);
    pairs.push([key, value]);
  }
  return pairs;
}

function unquote(value: string): string {
  const quoted = value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0];
  return quoted ? value.slice(1, -1) : value;
}

/** The data of a generator entry: literals, then env files, then files, later keys winning. */
export function entryData(entry: GeneratorEntry, dir: string, files: KustomizeFiles): Record<string, string> {
  const data: Record<string, string> = {};
  const where = `${dir}: ${entry.name}`;
  for (const literal of entry.literals ?? []) {
    const [key, value] = pair(literal, where);
    data[key] = unquote(value);
  }
  for (const env of entry.envs ?? []) {
    for (const [key, value] of parseEnvFile(files.read(resolve(dir, env)), `${dir}/${env}`)) data[key] = value;
  }
  for (const file of entry.files ?? []) {
    const [key, path] = file.includes('=') ? pair(file, where) : [basename(file), file];
    data[key] = files.read(resolve(dir, path));
  }
  return data;
}

/** The ConfigMap or Secret of a generator entry, before any namespace, label or hash suffix. */
export function generatedObject(
  kind: 'ConfigMap' | 'Secret',
  name: string,
  data: Record<string, string>,
  type?: string,
) {
  const object: Manifest = { apiVersion: 'v1', kind, metadata: { name } };
  if (kind === 'Secret') {
    object.type = type ?? 'Opaque';
    object.data = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
    );
  } else object.data = { ...data };
  return object;
}

/** A string as Go's encoding/json writes it (it escapes <, >, & and a few more than JSON.stringify). */
function goString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || ch === '<' || ch === '>' || ch === '&' || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

function goJson(value: unknown): string {
  if (typeof value === 'string') return goString(value);
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${goString(k)}:${goJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The name suffix kustomize gives a generated object: the first 10 hex digits of a SHA-256 over
 * `{data, kind, name, type}` with vowel-like digits swapped for consonants. `name` is empty on
 * purpose: kustomize looks it up as "metadata/name" in one step, finds nothing, and hashes "".
 */
export function contentHash(object: Manifest): string {
  const data = isObject(object.data) ? object.data : '';
  const encoded: JsonObject = { kind: object.kind, name: '', data };
  if (object.kind === 'Secret') encoded.type = object.type ?? '';
  const hex = createHash('sha256').update(goJson(encoded)).digest('hex');
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => swap[c] ?? c).join('');
}
