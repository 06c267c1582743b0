import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type JsonObject, isObject } from '../tools/manifest';

/**
 * `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`, `${NAME?error}` and
 * `$$` as Compose interpolates them; a required variable that is missing throws its error.
 */
export function interpolate(text: string, vars: Record<string, string>): string {
  const pattern = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  return text.replace(pattern, (match, name?: string, op?: string, arg = '', bare?: string) => {
    if (match === '$$') return '$';
    if (bare !== undefined) return vars[bare] ?? '';
    const value = name === undefined ? undefined : vars[name];
    const missing = op?.startsWith(':') ? !value : value === undefined;
    if (op?.endsWith('?') && missing) throw new Error(`${name}: ${arg}`);
    if (op?.endsWith('-') && missing) return arg;
    return value ?? '';
  });
}

function deepInterpolate(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') return interpolate(value, vars);
  if (Array.isArray(value)) return value.map((v) => deepInterpolate(v, vars));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepInterpolate(v, vars)]));
  return value;
}

/** A compose file as Compose reads it: `<<` merge keys applied, values interpolated from `vars`. */
export function loadCompose(path: string, vars: Record<string, string>): JsonObject {
  const parsed = parse(readFileSync(path, 'utf8'), { merge: true }) as unknown;
  const interpolated = deepInterpolate(parsed, vars);
  if (!isObject(interpolated)) throw new Error(`${path}: not a compose file`);
  return interpolated;
}

/** The variables a compose file interpolates and requires (`${NAME:?...}`). */
export function requiredVariables(path: string): Set<string> {
  return new Set([...readFileSync(path, 'utf8').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g)].map((m) => m[1] ?? ''));
}

/** A service's environment as a map (Compose takes a map or a list of NAME=value). */
export function environmentOf(service: JsonObject): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((line) => String(line).split(/=(.*)/s, 2) as [string, string]));
  }
  return Object.fromEntries(Object.entries(isObject(env) ? env : {}).map(([k, v]) => [k, String(v)]));
}
