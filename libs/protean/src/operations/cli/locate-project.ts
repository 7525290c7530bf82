import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ProjectModuleInvalidError } from './project-module-invalid.error.js';

/** A module to import: a compiled JavaScript file and the export that holds the Nest module. */
export interface ModuleReference {
  /** Absolute path of the file. */
  readonly file: string;
  /** The export's name; `undefined`: the default export, else the file's only Nest module. */
  readonly exportName?: string;
  /** As written (`dist/app.module.js#AppModule`), for messages. */
  readonly written: string;
  /** Where it was written (`--module`, `/app/package.json "protean".module`). */
  readonly source: string;
}

/** What the CLI knows about the project it runs in. */
export interface ProjectLocation {
  readonly module?: ModuleReference;
  readonly domain?: string;
  /** Where `domain` was declared. */
  readonly domainSource?: string;
}

export interface LocateOptions {
  /** `--module`, relative to `cwd`. */
  readonly module?: string;
  readonly cwd: string;
  /** For `PROTEAN_CONFIG` (the domain.toml in use). */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Finds the project's module and domain name, first match wins:
 * 1. `--module <file>[#Export]` (relative to the working directory);
 * 2. the `protean` field of the package.json beside the `domain.toml` in use (`PROTEAN_CONFIG`,
 *    else `./domain.toml`);
 * 3. the `protean` field of the nearest package.json from the working directory upwards.
 * The field is `{ "module": "<file>[#Export]", "domain": "<name>" }`, paths relative to that
 * package.json. The domain name comes from the first package.json field that has one.
 */
export function locateProject(options: LocateOptions): ProjectLocation {
  const fields = declaringPackages(options).map(readProteanField).filter(isDefined);
  const declared = fields.find((field) => field.module);
  const named = fields.find((field) => field.domain);
  const module = options.module
    ? reference(options.module, options.cwd, '--module')
    : declared?.module;
  return {
    ...(module ? { module } : {}),
    ...(named ? { domain: named.domain, domainSource: `${named.path} "protean".domain` } : {}),
  };
}

/** The package.json files to read, in the order of {@link locateProject}. */
function declaringPackages({ cwd, env }: LocateOptions): string[] {
  const toml = env.PROTEAN_CONFIG ? resolve(cwd, env.PROTEAN_CONFIG) : join(cwd, 'domain.toml');
  const candidates = existsSync(toml) ? [join(dirname(toml), 'package.json')] : [];
  for (let directory = cwd; ; directory = dirname(directory)) {
    const file = join(directory, 'package.json');
    if (existsSync(file) && hasProteanField(file)) {
      candidates.push(file);
      break;
    }
    if (dirname(directory) === directory) break;
  }
  return [...new Set(candidates)].filter((file) => existsSync(file));
}

interface ProteanField {
  readonly path: string;
  readonly module?: ModuleReference;
  readonly domain?: string;
}

function hasProteanField(file: string): boolean {
  return readPackage(file).protean !== undefined;
}

function readProteanField(path: string): ProteanField | undefined {
  const field = readPackage(path).protean;
  if (field === undefined) return undefined;
  const source = `${path} "protean"`;
  if (typeof field !== 'object' || field === null || Array.isArray(field))
    throw new ProjectModuleInvalidError(JSON.stringify(field), source, 'is not an object');
  const { module, domain } = field as Record<string, unknown>;
  for (const [key, value] of Object.entries({ module, domain }))
    if (value !== undefined && (typeof value !== 'string' || value.trim() === ''))
      throw new ProjectModuleInvalidError(
        JSON.stringify(value),
        `${source}.${key}`,
        'is not a non-empty string',
      );
  return {
    path,
    ...(typeof module === 'string'
      ? { module: reference(module, dirname(path), `${source}.module`) }
      : {}),
    ...(typeof domain === 'string' ? { domain } : {}),
  };
}

function readPackage(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ProjectModuleInvalidError(
      file,
      'package.json',
      `cannot be read: ${(error as Error).message}`,
    );
  }
}

function reference(written: string, base: string, source: string): ModuleReference {
  const hash = written.lastIndexOf('#');
  const path = hash > 0 ? written.slice(0, hash) : written;
  const exportName = hash > 0 ? written.slice(hash + 1) : undefined;
  return {
    file: isAbsolute(path) ? path : resolve(base, path),
    ...(exportName ? { exportName } : {}),
    written,
    source,
  };
}

const isDefined = <T>(value: T | undefined): value is T => value !== undefined;
