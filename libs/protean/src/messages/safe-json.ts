import { UndeserializableMessageError } from './message.errors.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/**
 * Text that could hold a forbidden key: one of the words, or an escape that could spell one.
 * Other text skips the reviver, which costs a call per value (the worker's hottest spot).
 */
const MAYBE_FORBIDDEN = /__proto__|constructor|prototype|\\u/;

function refuseForbiddenKeys(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new UndeserializableMessageError(`Forbidden key "${key}"`);
  return value;
}

/**
 * `JSON.parse` for text from outside. Refuses keys that could reach an object's prototype
 * when the result is later merged into another object, and reports every failure as one
 * typed error instead of a SyntaxError or RangeError thrown from deep inside.
 */
export function parseUntrustedJson(text: string | undefined): unknown {
  if (text === undefined) throw new UndeserializableMessageError('Message has no data field');
  try {
    return MAYBE_FORBIDDEN.test(text) ? JSON.parse(text, refuseForbiddenKeys) : JSON.parse(text);
  } catch (error) {
    if (error instanceof UndeserializableMessageError) throw error;
    throw new UndeserializableMessageError(
      `Message is not valid JSON: ${(error as Error).message}`,
    );
  }
}
