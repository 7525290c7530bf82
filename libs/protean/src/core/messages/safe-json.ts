import { isWellFormedUnicode } from './json-fidelity.js';
import { unstorableTextProblems } from './json-text-fidelity.js';
import { UndeserializableMessageError } from './undeserializable-message.error.js';
import { UnstorableValueError } from './unstorable-value.error.js';

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

/** A `\\u` escape of U+0000 or of a surrogate: the string may not be storable. */
const UNSAFE_ESCAPE = /^(?:0000|[dD][89a-fA-F])/;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const MINUS = 0x2d;
/** Up to 15 significant digits always survive a 64-bit float; a shorter literal needs no look. */
const ALWAYS_EXACT_LENGTH = 16;

/**
 * What {@link scanJsonText} looks for, found without walking the text in JavaScript: a `\\u`
 * escape of U+0000 or of a surrogate, or a number with an exponent, of 16 characters or more,
 * or starting `-0` — in JSON a number starts the text or follows `:`, `,` or `[` (and
 * whitespace). It can match inside a string too, and never misses in JSON: a match only sends
 * the text to the walk.
 */
const MAYBE_SUSPICIOUS =
  /\\u(?:0000|[dD][89a-fA-F])|(?:^|[:,[])\s*(?:-0|-?\d[\d.]*[eE]|-?\d[-+.\deE]{14})/;

/** Whether `text` has at most `limit` of `{` and `[`, strings included: it cannot nest deeper. */
function fewOpeners(text: string, limit: number): boolean {
  let count = 0;
  for (const opener of ['{', '[']) {
    for (let at = text.indexOf(opener); at !== -1; at = text.indexOf(opener, at + 1)) {
      if (++count > limit) return false;
    }
  }
  return true;
}

/**
 * One scan of the text, before parsing, so nothing recursive runs on hostile input: throws
 * `UndeserializableMessageError` when arrays and objects nest deeper than `maxDepth`, and
 * returns whether the text holds something the fidelity rule (`json-fidelity.ts`) must look
 * at: a `\\u0000` or surrogate escape, or a number literal that may not be kept as written.
 * Ordinary text answers `false` and costs nothing more. For text that is not JSON the answer
 * is of no use (the parser refuses the text); the depth check holds for any text.
 */
export function scanJsonText(text: string, maxDepth = MAX_JSON_DEPTH): boolean {
  // Ordinary text is answered by native searches; the walk is for the rest.
  if (fewOpeners(text, maxDepth) && !MAYBE_SUSPICIOUS.test(text)) return false;
  return walkJsonText(text, maxDepth);
}

/** {@link scanJsonText}'s walk, character by character. */
export function walkJsonText(text: string, maxDepth = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  let suspicious = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === BACKSLASH) {
        if (text.charCodeAt(i + 1) === 0x75 && UNSAFE_ESCAPE.test(text.slice(i + 2, i + 6)))
          suspicious = true;
        i++; // skip the escaped character
      } else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      if (++depth > maxDepth) {
        throw new UndeserializableMessageError(
          `JSON nested deeper than ${maxDepth} levels (at character ${i})`,
        );
      }
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
    } else if (char === MINUS || (char >= 0x30 && char <= 0x39)) {
      const start = i;
      while (i + 1 < text.length && isNumberChar(text.charCodeAt(i + 1))) {
        i++;
        const next = text.charCodeAt(i);
        if (next === 0x65 || next === 0x45) suspicious = true; // an exponent
      }
      if (i + 1 - start >= ALWAYS_EXACT_LENGTH) suspicious = true;
      else if (char === MINUS && text.charCodeAt(start + 1) === 0x30) suspicious = true; // -0…
    }
  }
  return suspicious;
}

const isNumberChar = (char: number) =>
  (char >= 0x30 && char <= 0x39) ||
  char === 0x2e ||
  char === 0x65 ||
  char === 0x45 ||
  char === 0x2b ||
  char === MINUS;

/**
 * Throws `UndeserializableMessageError` when `text` nests arrays and objects deeper than
 * `maxDepth`. A scan of the text, before parsing: nothing recursive runs on hostile input.
 */
export function assertJsonDepth(text: string, maxDepth = MAX_JSON_DEPTH): void {
  scanJsonText(text, maxDepth);
}

/**
 * Throws `UnstorableValueError` naming every value of the JSON `text` that cannot be stored
 * or carried as written (U+0000, lone surrogates, numbers a 64-bit float cannot keep);
 * `suspicious` is what {@link scanJsonText} answered for it. Text that is not JSON passes:
 * the parser reports it.
 */
export function assertStorableJsonText(text: string, suspicious = scanJsonText(text)): void {
  if (!suspicious && isWellFormedUnicode(text)) return;
  const problems = unstorableTextProblems(text);
  if (problems.length > 0) throw new UnstorableValueError(problems);
}

/**
 * `JSON.parse` for text from outside. Refuses keys that could reach an object's prototype,
 * nesting deeper than {@link MAX_JSON_DEPTH} and — unless `storable: false` (text only shown,
 * never stored) — values that cannot be stored as written ({@link assertStorableJsonText}),
 * and reports every failure as one typed error instead of a SyntaxError or RangeError thrown
 * from deep inside.
 */
export function parseUntrustedJson(
  text: string | undefined,
  { storable = true }: { storable?: boolean } = {},
): unknown {
  if (text === undefined) throw new UndeserializableMessageError('Message has no data field');
  const suspicious = scanJsonText(text);
  let value: unknown;
  try {
    value = MAYBE_FORBIDDEN.test(text) ? JSON.parse(text, rejectForbiddenKeys) : JSON.parse(text);
  } catch (error) {
    if (error instanceof UndeserializableMessageError) throw error;
    throw new UndeserializableMessageError(
      `Message is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (storable) assertStorableJsonText(text, suspicious);
  return value;
}
