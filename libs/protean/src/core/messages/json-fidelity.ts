/**
 * The values a message may carry: those PostgreSQL stores and JSON carries back unchanged.
 * A value outside this rule is accepted by `JSON.parse` but breaks later — `jsonb` and `text`
 * refuse U+0000 and lone surrogates (a handler's write fails on every retry), and a number
 * that a 64-bit float cannot hold reads back as another number (or `null`, for Infinity).
 * Every inbound message is checked against it where it is decoded or validated, so such a
 * value is refused at the boundary instead of being accepted and failing for ever.
 */

/** Deepest nesting the walk follows; cyclic values end here instead of overflowing the stack. */
const MAX_WALK_DEPTH = 100;

/** `String.prototype.isWellFormed` (Node 20; TypeScript's lib here predates its types). */
export const isWellFormedUnicode = (value: string): boolean =>
  (value as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Why a string cannot be stored as it is, or `undefined` when it can. */
export function stringProblem(value: string): string | undefined {
  if (!isWellFormedUnicode(value)) {
    const at = [...value].findIndex((char) => !isWellFormedUnicode(char));
    return `is not well-formed Unicode (a lone surrogate at character ${at}), which cannot be stored`;
  }
  if (value.includes('\u0000'))
    return 'contains the NUL character (U+0000), which PostgreSQL cannot store';
  return undefined;
}

const NUMBER_LITERAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** A decimal as significant digits (no leading or trailing zeros) and the point's position. */
function decimalOf(literal: string): { negative: boolean; digits: string; point: number } {
  const [, sign, whole, fraction = '', exponent = '0'] = NUMBER_LITERAL.exec(literal) ?? [];
  const all = `${whole}${fraction}`;
  const lead = all.search(/[^0]/);
  if (lead === -1) return { negative: sign === '-', digits: '', point: 0 };
  const digits = all.slice(lead).replace(/0+$/, '');
  return { negative: sign === '-', digits, point: whole.length - lead + Number(exponent) };
}

/**
 * Why a JSON number literal cannot be kept as written, or `undefined` when the 64-bit float it
 * parses to is exactly the number written (`0.1`, `1.50`, `2e3` are; `1e400`, `-0`,
 * `9007199254740993` and `0.1000000000000000055` are not). Integers written without a
 * fraction or exponent must be safe integers (RFC 8259 §6): beyond ±(2^53−1) neighbours
 * become equal.
 */
export function numberLiteralProblem(literal: string): string | undefined {
  const value = Number(literal);
  if (!Number.isFinite(value)) return 'is too large for a 64-bit number (it would become Infinity)';
  const written = decimalOf(literal);
  if (written.digits === '')
    return written.negative ? 'is negative zero, which reads back as 0' : undefined;
  if (value === 0) return 'is too small for a 64-bit number (it would become 0)';
  if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(value))
    return 'is an integer beyond ±(2^53−1), which a 64-bit number cannot hold exactly';
  const kept = decimalOf(String(value));
  if (kept.digits !== written.digits || kept.point !== written.point)
    return `has more digits than a 64-bit number keeps (it would become ${String(value)})`;
  return undefined;
}

/** Why a number cannot be carried by JSON as it is, or `undefined` when it can. */
export function numberProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return `is ${value}, which JSON cannot carry (it becomes null)`;
  if (Object.is(value, -0)) return 'is negative zero, which reads back as 0';
  // JSON.stringify writes the shortest literal that reads back as `value`, so only what the
  // rule refuses in text is left: an integer literal (below 1e21, else it has an exponent)
  // beyond the safe range. Checked without writing it: this runs for every number of a message.
  if (Number.isInteger(value) && !Number.isSafeInteger(value) && Math.abs(value) < 1e21)
    return numberLiteralProblem(JSON.stringify(value));
  return undefined;
}

/** A path as validation errors name fields: `items.0.bookId`; odd keys quoted. */
export function formatJsonPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key) =>
      typeof key === 'number' || /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key),
    )
    .join('.');
}

/**
 * The values in `value` (a message, or any JSON-like value) that cannot be stored as they
 * are, as `path: reason` lines; none when it is faithful. Keys are checked like strings;
 * what `JSON.stringify` leaves out (`undefined`, functions) is not a value, and `toJSON` is
 * honoured (a `Date` is its ISO string).
 */
export function unstorableValueProblems(value: unknown): string[] {
  const problems: string[] = [];
  walk(value, [], problems);
  return problems;
}

/** `path` is the value's, pushed and popped in place (the walk runs for every message). */
function walk(value: unknown, path: (string | number)[], problems: string[]): void {
  const problem = leafProblem(value);
  if (problem !== undefined) {
    problems.push(`${formatJsonPath(path)}: ${problem}`);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (path.length >= MAX_WALK_DEPTH) {
    problems.push(`${formatJsonPath(path)}: is nested deeper than ${MAX_WALK_DEPTH} levels`);
    return;
  }
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') {
    walk((json as (key: string) => unknown).call(value, ''), path, problems);
    return;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      walk(value[index], path, problems);
      path.pop();
    }
    return;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    path.push(key);
    const keyProblem = stringProblem(key);
    if (keyProblem !== undefined) problems.push(`${formatJsonPath(path)}: key ${keyProblem}`);
    else walk((value as Record<string, unknown>)[key], path, problems);
    path.pop();
  }
}

function leafProblem(value: unknown): string | undefined {
  if (typeof value === 'string') return stringProblem(value);
  if (typeof value === 'number') return numberProblem(value);
  if (typeof value === 'bigint') return 'is a bigint, which JSON cannot carry';
  return undefined;
}
