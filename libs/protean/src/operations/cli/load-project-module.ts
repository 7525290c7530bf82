import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { DynamicModule } from '@nestjs/common';
import type { Type } from '../../core/messages/domain-types.js';
import type { ModuleReference } from './locate-project.js';
import { ProjectModuleInvalidError } from './project-module-invalid.error.js';

/** Nest's module metadata keys: a class decorated with `@Module()` carries at least one. */
const MODULE_KEYS = ['imports', 'providers', 'controllers', 'exports'];

const isNestModule = (value: unknown): boolean =>
  (typeof value === 'function' &&
    MODULE_KEYS.some((key) => Reflect.getMetadata(key, value) !== undefined)) ||
  (typeof value === 'object' &&
    value !== null &&
    typeof (value as DynamicModule).module === 'function');

/**
 * Imports the project's module: the named export, else the default export, else the file's
 * only Nest module (a `@Module()` class or a dynamic module object).
 */
export async function loadProjectModule(ref: ModuleReference): Promise<Type | DynamicModule> {
  const fail = (problem: string) => new ProjectModuleInvalidError(ref.written, ref.source, problem);
  if (!existsSync(ref.file))
    throw fail(`names ${ref.file}, which does not exist (build the project first?)`);
  await import('reflect-metadata'); // the project's decorators need it before its classes load
  const exports = (await import(pathToFileURL(ref.file).href)) as Record<string, unknown>;
  if (ref.exportName !== undefined) {
    const value = exports[ref.exportName];
    if (value === undefined)
      throw fail(
        `has no export "${ref.exportName}" (exports: ${Object.keys(exports).join(', ') || 'none'})`,
      );
    if (!isNestModule(value)) throw fail(`exports "${ref.exportName}", which is not a Nest module`);
    return value as Type | DynamicModule;
  }
  if (exports.default !== undefined && isNestModule(exports.default))
    return exports.default as Type | DynamicModule;
  const modules = Object.entries(exports).filter(([, value]) => isNestModule(value));
  if (modules.length === 1) return modules[0][1] as Type | DynamicModule;
  throw fail(
    modules.length === 0
      ? 'exports no Nest module'
      : `exports several Nest modules (${modules.map(([name]) => name).join(', ')}): name one with #Export`,
  );
}
