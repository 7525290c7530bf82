import type { z } from 'zod';
import {
  mergeLayers,
  readEnvironmentLayer,
  readTomlLayer,
  type ConfigLayer,
} from './config-sources.js';
import { configurationSchema, type ProteanConfig } from './config.schema.js';
import { ConfigurationError } from './configuration.error.js';
import { knownKeysAt, nearestKey } from './known-keys.js';
import { settingsLayer, type ProteanSettings } from './protean-settings.js';

/** Where the configuration comes from; every field is optional. */
export interface ConfigurationSources {
  /**
   * Ignore `domain.toml` and `PROTEAN_*` variables: built-in defaults (memory database and
   * event store, inline broker) plus `overrides`. This is what `npm start` runs on.
   */
  embedded?: boolean;
  /** The environment to read `PROTEAN_*` variables and `${VAR}` substitutions from. */
  env?: NodeJS.ProcessEnv;
  /** A `domain.toml` path; defaults to `PROTEAN_CONFIG`, then `./domain.toml` if present. */
  file?: string;
  /**
   * The application's settings in TypeScript (camelCase keys): above the built-in defaults,
   * below `domain.toml` and `PROTEAN_*`, so a deployment can still change them.
   */
  settings?: ProteanSettings;
  /** Values applied last, above every other source (tests and embedding use this). */
  overrides?: Record<string, unknown>;
}

const SECRET_KEY = /(uri|url|password|token|secret)$/;

/** Which kind of source set a key: built-in default, settings, domain.toml, env, overrides. */
export type ConfigSourceKind = 'default' | 'settings' | 'file' | 'env' | 'overrides';

const SOURCES = new WeakMap<ProteanConfig, ReadonlyMap<string, ConfigSourceKind>>();

/**
 * Which kind of source set the dotted `key` (`databases.default.provider`) of a configuration
 * returned by {@link loadConfiguration}: `default` when no source set it (or the object was not
 * loaded by it).
 */
export function configurationSourceOf(config: ProteanConfig, key: string): ConfigSourceKind {
  return SOURCES.get(config)?.get(key) ?? 'default';
}

function sourceKinds(
  layers: readonly ConfigLayer[],
  sources: ConfigurationSources,
): Map<string, ConfigSourceKind> {
  const kinds: ConfigSourceKind[] = sources.settings ? ['settings'] : [];
  if (!sources.embedded) kinds.push('file', 'env');
  const result = new Map<string, ConfigSourceKind>();
  layers.forEach((layer, index) => {
    const kind = kinds[index] ?? 'overrides';
    const keys = kind === 'overrides' ? leafKeys(layer.values) : layer.origins.keys();
    for (const key of keys) result.set(key, kind);
  });
  return result;
}

function leafKeys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? leafKeys(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

/**
 * Builds the one validated configuration object: built-in defaults < `settings` <
 * `domain.toml` < `PROTEAN_*` environment variables < `overrides`. Throws {@link ConfigurationError} naming the
 * first invalid key, what is allowed, and where the value came from.
 */
export function loadConfiguration(sources: ConfigurationSources = {}): ProteanConfig {
  const env = sources.env ?? process.env;
  const layers: ConfigLayer[] = sources.settings ? [settingsLayer(sources.settings)] : [];
  if (!sources.embedded) layers.push(readTomlLayer(env, sources.file), readEnvironmentLayer(env));
  if (sources.overrides) layers.push({ values: sources.overrides, origins: new Map() });
  const merged = mergeLayers(layers);

  const result = configurationSchema.safeParse(merged.values);
  if (result.success) {
    SOURCES.set(result.data, sourceKinds(layers, sources));
    return result.data;
  }
  // A misspelt key is usually why a required one looks missing: name the misspelling first.
  const issues = result.error.issues;
  throw toConfigurationError(
    issues.find((issue) => issue.code === 'unrecognized_keys') ?? issues[0],
    merged,
  );
}

function toConfigurationError(issue: z.core.$ZodIssue, merged: ConfigLayer): ConfigurationError {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const key = [...path, issue.keys[0]].join('.');
    const nearest = nearestKey(issue.keys[0], knownKeysAt(configurationSchema, path));
    return new ConfigurationError(
      key,
      nearest ? `unknown key; did you mean \`${nearest}\`?` : 'unknown key',
      merged.origins.get(key) ?? originBelow(key, merged),
    );
  }
  const key = path.join('.');
  const value = valueAt(merged.values, path);
  const shown = value === undefined || SECRET_KEY.test(key) ? '' : ` = ${JSON.stringify(value)}`;
  const problem =
    issue.code === 'invalid_value' && issue.values.length > 1
      ? `expected one of ${issue.values.join(', ')}`
      : issue.message.replace(/^Invalid input: /, '');
  return new ConfigurationError(`${key}${shown}`, problem, merged.origins.get(key));
}

function valueAt(tree: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
    tree,
  );
}

function originBelow(prefix: string, merged: ConfigLayer): string | undefined {
  for (const [key, origin] of merged.origins) if (key.startsWith(`${prefix}.`)) return origin;
  return undefined;
}
