import { ConfigurationError } from '../../../core/config/configuration.error.js';
import { EXIT_CONFIG } from '../../../core/exit-codes.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = (typeof LOG_FORMATS)[number];

/** How a process logs: pino, as JSON lines or pretty text, to stdout or stderr. */
export interface LogSettings {
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** File descriptor written to: 1 (stdout) for servers, 2 (stderr) for the CLI. */
  readonly destination: 1 | 2;
  /** `name` on every JSON line (the application), when set. */
  readonly name?: string;
}

export interface LogDefaults {
  readonly level?: LogLevel;
  readonly destination?: 1 | 2;
  readonly name?: string;
}

/**
 * The top-level `debug = true` key (`PROTEAN_DEBUG`): debug-level logs, as `LOG_LEVEL=debug`
 * would give — a default below `LOG_LEVEL`, which wins when set. Spread into the defaults:
 * `logSettingsOrExit({ name, ...debugLogLevel(config) })`.
 */
export function debugLogLevel(config: { readonly debug: boolean }): { level?: LogLevel } {
  return config.debug ? { level: 'debug' } : {};
}

/**
 * The log settings of this process from `LOG_LEVEL` (default `info`) and `LOG_FORMAT`
 * (`json` | `pretty`). Without `LOG_FORMAT`: JSON when `NODE_ENV=production`, pretty when
 * `NODE_ENV=development`, otherwise pretty for a terminal and JSON for anything else (a file,
 * a pipe, a log collector). An unknown value is a `ConfigurationError` naming the variable.
 */
export function resolveLogSettings(
  env: NodeJS.ProcessEnv = process.env,
  defaults: LogDefaults = {},
  isTty: (fd: 1 | 2) => boolean = (fd) =>
    Boolean((fd === 1 ? process.stdout : process.stderr).isTTY),
): LogSettings {
  const destination = defaults.destination ?? 1;
  const level = choice(env, 'LOG_LEVEL', LOG_LEVELS) ?? defaults.level ?? 'info';
  const format =
    choice(env, 'LOG_FORMAT', LOG_FORMATS) ??
    (env.NODE_ENV === 'production'
      ? 'json'
      : env.NODE_ENV === 'development' || isTty(destination)
        ? 'pretty'
        : 'json');
  return { level, format, destination, ...(defaults.name ? { name: defaults.name } : {}) };
}

/**
 * For a `main.ts`: {@link resolveLogSettings}, or one line on stderr naming the variable and
 * exit code 78 (EX_CONFIG), as for any invalid configuration.
 */
export function logSettingsOrExit(defaults: LogDefaults = {}): LogSettings {
  try {
    return resolveLogSettings(process.env, defaults);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
}

function choice<T extends string>(
  env: NodeJS.ProcessEnv,
  variable: string,
  allowed: readonly T[],
): T | undefined {
  const raw = env[variable]?.trim();
  if (!raw) return undefined;
  const value = raw.toLowerCase();
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigurationError(
      `${variable} = "${raw}"`,
      `expected one of ${allowed.join(', ')}`,
      variable,
    );
  }
  return value as T;
}
