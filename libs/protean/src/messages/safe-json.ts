import { UndeserializableMessageError } from './message.errors.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/**
 * Text that could hold a forbidden key: one of the words, or an escape that could spell one.
 * Other text skips the reviver, which costs a call per value (the worker's hottest spot).
 */
const MAYBE_FORBIDDEN = /__proto__|constructor|prototype|\\u/;

/**
 * Deepest nesting of arrays and objects accepted from outside: far above any message of a
 * domain, far below the depth at which recursive walkers (class-transformer, the reviver
 * itself) overflow the stack.
 */
export const MAX_JSON_DEPTH = 100;

/**
 * A `JSON.parse` reviver that refuses keys which could reach an object's prototype when the
 * result is later merged into another object.
 */
export function rejectForbiddenKeys(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new UndeserializableMessageError(`Forbidden key "${key}"`);
  return value;
}

/**
 * Throws `UndeserializableMessageError` when `text` nests arrays and objects deeper than
 * `maxDepth`. A scan of the text, before parsing: nothing recursive runs on hostile input.
 */
export function assertJsonDepth(text: string, maxDepth = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      if (++depth > maxDepth) {
        throw new UndeserializableMessageError(
          `JSON nested deeper than ${maxDepth} levels (at character ${i})`,
        );
      }
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
    }
  }
}

/**
 * `JSON.parse` for text from outside. Refuses keys that could reach an object's prototype and
 * nesting deeper than {@link MAX_JSON_DEPTH}, and reports every failure as one typed error
 * instead of a SyntaxError or RangeError thrown from deep inside.
 */
export function parseUntrustedJson(text: string | undefined): unknown {
  if (text === undefined) throw new UndeserializableMessageError('Message has no data field');
  assertJsonDepth(text);
  try {
    return MAYBE_FORBIDDEN.test(text) ? JSON.parse(text, rejectForbiddenKeys) : JSON.parse(text);
  } catch (error) {
    if (error instanceof UndeserializableMessageError) throw error;
    throw new UndeserializableMessageError(
      `Message is not valid JSON: ${(error as Error).message}`,
    );
  }
}
