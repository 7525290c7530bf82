import type { ProteanConfig } from './config.schema.js';
import type { ConfigLayer } from './config-sources.js';

type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

type CamelCased<T> = T extends readonly unknown[] | Date
  ? T
  : T extends object
    ? { [K in keyof T as K extends string ? CamelCase<K> : K]?: CamelCased<T[K]> }
    : T;

/**
 * The configuration as TypeScript options: the `domain.toml` keys in camelCase
 * (`tablePrefix` for `table_prefix`), every one optional. Names of databases, brokers and
 * handlers (`databases.default`, `server.subscriptions.CatalogProjector`) stay as written.
 */
export type ProteanSettings = CamelCased<ProteanConfig>;

/** Levels whose keys are names chosen by the user, not configuration keys. */
const NAMED_LEVELS = new Set(['databases', 'brokers', 'server.subscriptions']);

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * TypeScript options as a configuration layer: keys in snake_case, validated with the other
 * sources by the one schema; an error names the key as the options spell it.
 */
export function settingsLayer(settings: ProteanSettings): ConfigLayer {
  const origins = new Map<string, string>();
  const convert = (
    node: Record<string, unknown>,
    path: readonly string[],
    written: readonly string[],
  ): Record<string, unknown> => {
    const named = NAMED_LEVELS.has(path.join('.'));
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const name = named ? key : snakeCase(key);
      const childPath = [...path, name];
      const childWritten = [...written, key];
      if (isPlainObject(value)) {
        result[name] = convert(value, childPath, childWritten);
      } else {
        result[name] = value;
        origins.set(childPath.join('.'), `ProteanModule settings: ${childWritten.join('.')}`);
      }
    }
    return result;
  };
  return { values: convert(settings, [], []), origins };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}
