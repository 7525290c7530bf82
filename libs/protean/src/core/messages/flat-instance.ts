import { createRequire } from 'node:module';
import { plainToInstance, Type, TransformationType } from 'class-transformer';
import type { Type as ClassType } from './domain-types.js';

/** The part of class-transformer's metadata storage read here (its public methods). */
interface TransformerMetadata {
  getExposedMetadatas(target: object): unknown[];
  getExcludedMetadatas(target: object): unknown[];
  findTypeMetadata(target: object, property: string): unknown;
  findTransformMetadatas(target: object, property: string, type: TransformationType): unknown[];
}

/**
 * class-transformer's metadata storage — the one its decorators write to — or `undefined`
 * when it cannot be reached as such: the module moved, or a bundler gave the decorators
 * another copy of the package than this file gets. Checked by decorating a probe class.
 */
const metadata: TransformerMetadata | undefined = (() => {
  try {
    const require = createRequire(import.meta.url);
    const storage = (
      require('class-transformer/cjs/storage.js') as {
        defaultMetadataStorage?: TransformerMetadata;
      }
    ).defaultMetadataStorage;
    class Probe {
      @Type(() => Date)
      at?: Date;
    }
    return storage?.findTypeMetadata(Probe, 'at') ? storage : undefined;
  } catch {
    return undefined;
  }
})();

/** Per class: whether class-transformer would copy a key's primitive value as it is. */
const plainKeys = new WeakMap<object, Map<string, boolean> | null>();
/**
 * Keys remembered per class. Payload keys come from outside — a producer may send any number
 * of distinct ones — so the plan stops growing here; a key it does not know then goes to
 * class-transformer.
 */
export const PLAIN_KEYS_REMEMBERED = 256;

/** The class's plan (by key, filled as keys are met), or `null` when it exposes or excludes. */
function planOf(type: object): Map<string, boolean> | null {
  let plan = plainKeys.get(type);
  if (plan === undefined) {
    // Any expose or exclude (on a key, or on the class: a strategy) shapes the keys copied.
    const untouched =
      metadata !== undefined &&
      metadata.getExposedMetadatas(type).length === 0 &&
      metadata.getExcludedMetadatas(type).length === 0;
    plan = untouched ? new Map() : null;
    plainKeys.set(type, plan);
  }
  return plan;
}

function isPlainKey(type: ClassType<object>, plan: Map<string, boolean>, key: string): boolean {
  let plain = plan.get(key);
  if (plain === undefined) {
    if (plan.size >= PLAIN_KEYS_REMEMBERED) return false;
    // What class-transformer looks up for the key, and the prototype's accessors and methods
    // it leaves alone (read from the class's own prototype, as it does).
    const descriptor = Object.getOwnPropertyDescriptor(type.prototype, key);
    plain =
      !metadata!.findTypeMetadata(type, key) &&
      metadata!.findTransformMetadatas(type, key, TransformationType.PLAIN_TO_CLASS).length === 0 &&
      !(descriptor && !descriptor.set);
    plan.set(key, plain);
  }
  return plain;
}

/**
 * `plainToInstance(type, payload)` — exactly — for the common message: a class without
 * class-transformer decorators on the payload's keys and a payload of strings, numbers,
 * booleans and nulls. The instance is built as class-transformer builds it (`new type()`, then
 * each key assigned, methods and read-only accessors of the prototype left alone) without its
 * per-call metadata lookups, which cost more than the rest of decoding a message. Anything
 * else — nested values, a decorated key, a class-level strategy — goes to class-transformer.
 */
export function flatInstance<T extends object>(
  type: ClassType<T>,
  payload: Record<string, unknown>,
): T {
  const plan = planOf(type);
  if (!plan) return plainToInstance(type, payload);
  const keys = Object.keys(payload);
  for (const key of keys) {
    const value = payload[key];
    if (value !== null && typeof value === 'object') return plainToInstance(type, payload);
    if (!isPlainKey(type, plan, key)) return plainToInstance(type, payload);
  }
  const instance = new type() as Record<string, unknown>;
  for (const key of keys) {
    if (key === '__proto__' || key === 'constructor') continue;
    if (instance[key] instanceof Function) continue;
    instance[key] = payload[key];
  }
  return instance as T;
}
