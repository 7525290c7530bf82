import fc from 'fast-check';

/**
 * fast-check arbitraries for scenario 13: JSON texts as an outsider may write them. Values are
 * built as text, not as JS values, because only text can carry what a JS value cannot:
 * `9007199254740993`, `1e400`, `-0`, `0.1000000000000000055`.
 */

/** One field of a body: its key and value as JSON text. */
export type JsonField = readonly [key: string, value: string];

/** A body as text, with its top-level fields when it is an object (for the checks). */
export interface HostileBody {
  readonly text: string;
  readonly fields?: readonly JsonField[];
}

/** Any string, as JSON text: any code units (lone surrogates and U+0000 among them). */
const anyString = fc
  .oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('nul\u0000byte', '\ud800', 'a\udc00b', '\u0000', '😀\ud83d'),
    },
  )
  .map((text) => JSON.stringify(text));

/** Number literals: any double, integers beyond 2^53, and literals no double keeps. */
const anyNumber = fc.oneof(
  fc.double().map((value) => (Number.isFinite(value) ? JSON.stringify(value) : '1e400')),
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom(
    '-0',
    '-0.0',
    '1e400',
    '-1e400',
    '1e-400',
    '9007199254740993',
    '0.1000000000000000055',
    '9.999999999999999999',
    '4.9e-324',
    '1e-7',
    '2.5e1',
  ),
  fc
    .tuple(
      fc.stringMatching(/^-?(0|[1-9]\d{0,24})$/),
      fc.option(fc.stringMatching(/^\d{1,24}$/)),
      fc.option(fc.integer({ min: -340, max: 340 })),
    )
    .map(
      ([whole, fraction, exponent]) =>
        `${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : `e${exponent}`}`,
    ),
);

/** Any JSON value as text: strings, numbers, literals, and arrays and objects of them. */
export const anyJsonText: fc.Arbitrary<string> = fc.letrec<{
  value: string;
  array: string;
  object: string;
}>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    anyString,
    anyNumber,
    fc.constantFrom('true', 'false', 'null'),
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
  object: fc
    .array(fc.tuple(anyString, tie('value')), { maxLength: 3 })
    .map((entries) => `{${entries.map(([key, value]) => `${key}:${value}`).join(',')}}`),
})).value;

/** Mostly a plausible value, sometimes anything at all. */
const field = (plausible: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 5, arbitrary: plausible }, { weight: 1, arbitrary: anyJsonText });

const text = (min: number, max: number) =>
  fc.string({ unit: 'grapheme', minLength: min, maxLength: max }).map((s) => JSON.stringify(s));

function objectBody(fields: fc.Arbitrary<JsonField[]>): fc.Arbitrary<HostileBody> {
  const extra = fc.array(fc.tuple(anyString, anyJsonText), { maxLength: 1 });
  return fc
    .tuple(
      fields,
      fc.oneof({ weight: 6, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: extra }),
    )
    .map(([own, extras]) => {
      const all = [...own, ...extras];
      return { text: `{${all.map(([key, value]) => `${key}:${value}`).join(',')}}`, fields: all };
    });
}

/** Something that is not an object at all, now and then. */
const anyShape = (object: fc.Arbitrary<HostileBody>) =>
  fc.oneof(
    { weight: 12, arbitrary: object },
    { weight: 1, arbitrary: anyJsonText.map((value) => ({ text: value })) },
  );

/** Present fields only: each optional one is left out now and then. */
const someOf = (entries: readonly (readonly [string, fc.Arbitrary<string>, boolean])[]) =>
  fc
    .tuple(
      ...entries.map(([key, value, required]) =>
        required
          ? value.map((v): JsonField | undefined => [`"${key}"`, v])
          : fc.option(
              value.map((v): JsonField => [`"${key}"`, v]),
              { nil: undefined },
            ),
      ),
    )
    .map((fields) => fields.filter((entry): entry is JsonField => entry !== undefined));

/** A `POST /books` body. */
export const bookBody = anyShape(
  objectBody(
    someOf([
      ['title', field(text(1, 40)), true],
      ['author', field(text(1, 30)), true],
      ['isbn', field(fc.stringMatching(/^\d{10,13}$/).map((s) => `"${s}"`)), false],
      [
        'price',
        field(fc.integer({ min: 0, max: 100_000 }).map((cents) => String(cents / 100))),
        true,
      ],
      ['stock', field(fc.integer({ min: 0, max: 50 }).map(String)), false],
    ]),
  ),
);

/** An order (`POST /orders` and `external-orders`), its items naming the given books. */
export function orderBody(bookIds: readonly string[]): fc.Arbitrary<HostileBody> {
  const item = objectBody(
    someOf([
      ['bookId', field(fc.constantFrom(...bookIds).map((id) => `"${id}"`)), true],
      ['quantity', field(fc.integer({ min: 1, max: 3 }).map(String)), true],
    ]),
  ).map((body) => body.text);
  const items = fc
    .array(field(item), { minLength: 1, maxLength: 2 })
    .map((all) => `[${all.join(',')}]`);
  return anyShape(
    objectBody(
      someOf([
        ['customer', field(text(1, 40)), true],
        ['items', field(items), true],
      ]),
    ),
  );
}

/** The decoded value of a top-level field, the last one written (as `JSON.parse` keeps). */
export function fieldValue(body: HostileBody, key: string): string | undefined {
  const found = body.fields?.filter(([name]) => JSON.parse(name) === key).at(-1);
  return found?.[1];
}

/**
 * An oracle independent of the rule under test: whether a string, decoded, is one PostgreSQL
 * refuses (U+0000 or a lone surrogate).
 */
export function unstorableString(value: string): boolean {
  const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  return value.includes('\u0000') || loneSurrogate.test(value);
}
