import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { ConfigurationError } from './configuration.error.js';

/** A configuration tree as read from one source, with where each leaf came from. */
export interface ConfigLayer {
  readonly values: Record<string, unknown>;
  /** Dotted key path → human-readable origin (a file name or an environment variable). */
  readonly origins: Map<string, string>;
}

/** Environment variables that steer loading itself and are not configuration keys. */
const RESERVED_VARIABLES = new Set(['PROTEAN_CONFIG', 'PROTEAN_DOMAIN', 'PROTEAN_EMBEDDED']);
const ENV_PREFIX = 'PROTEAN_';
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^}]*))?\}/g;

/**
 * Reads `domain.toml`: the file named by `PROTEAN_CONFIG`, else `./domain.toml` when present.
 * Keys are matched case-insensitively (Protean writes `URI`); `${VAR}` and `${VAR|default}`
 * in string values are replaced from the environment.
 */
export function readTomlLayer(env: NodeJS.ProcessEnv, explicitPath?: string): ConfigLayer {
  const configured = explicitPath ?? env.PROTEAN_CONFIG;
  const path = resolve(configured ?? 'domain.toml');
  if (!existsSync(path)) {
    if (configured) throw new ConfigurationError('PROTEAN_CONFIG', `file not found: ${path}`);
    return { values: {}, origins: new Map() };
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = parseToml(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new ConfigurationError(path, `not valid TOML: ${reason}`);
  }
  const origins = new Map<string, string>();
  const values = normalize(parsed, [], (key, value) => {
    origins.set(key, path);
    return typeof value === 'string' ? substitute(value, key, env, path) : value;
  });
  return { values, origins };
}

/** Reads `PROTEAN_A__B_C=value` variables into `{ a: { b_c: 'value' } }`. */
export function readEnvironmentLayer(env: NodeJS.ProcessEnv): ConfigLayer {
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || RESERVED_VARIABLES.has(name) || value === undefined)
      continue;
    const path = name.slice(ENV_PREFIX.length).toLowerCase().split('__');
    if (path.some((segment) => segment === '' || isUnsafeKey(segment))) {
      throw new ConfigurationError(name, 'malformed variable name (use __ between key levels)');
    }
    setPath(values, path, value, name);
    origins.set(path.join('.'), name);
  }
  return { values, origins };
}

/** Deep-merges layers left to right: a later layer's leaves replace an earlier one's. */
export function mergeLayers(layers: readonly ConfigLayer[]): ConfigLayer {
  const values: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  for (const layer of layers) {
    deepMerge(values, layer.values);
    for (const [key, origin] of layer.origins) origins.set(key, origin);
  }
  return { values, origins };
}

function substitute(value: string, key: string, env: NodeJS.ProcessEnv, file: string): string {
  return value.replace(PLACEHOLDER, (_match, variable: string, fallback: string | undefined) => {
    const found = env[variable];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    throw new ConfigurationError(
      key,
      `environment variable ${variable} is not set and has no default`,
      file,
    );
  });
}

function normalize(
  tree: Record<string, unknown>,
  path: readonly string[],
  leaf: (key: string, value: unknown) => unknown,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(tree)) {
    const key = rawKey.toLowerCase();
    if (isUnsafeKey(key))
      throw new ConfigurationError([...path, rawKey].join('.'), 'reserved key name');
    const childPath = [...path, key];
    result[key] = isPlainObject(value)
      ? normalize(value, childPath, leaf)
      : leaf(childPath.join('.'), value);
  }
  return result;
}

function setPath(
  target: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
  origin: string,
) {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (next !== undefined && !isPlainObject(next)) {
      throw new ConfigurationError(origin, `conflicts with another variable at ${segment}`);
    }
    node = (next as Record<string, unknown>) ?? (node[segment] = {});
  }
  node[path[path.length - 1]] = value;
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isPlainObject(value) && isPlainObject(existing)) deepMerge(existing, value);
    else target[key] = isPlainObject(value) ? structuredClone(value) : value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

function isUnsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}
