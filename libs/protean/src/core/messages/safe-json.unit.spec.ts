import { UndeserializableMessageError } from './undeserializable-message.error.js';
import { UnstorableValueError } from './unstorable-value.error.js';
import fc from 'fast-check';
import {
  assertJsonDepth,
  MAX_JSON_DEPTH,
  parseUntrustedJson,
  scanJsonText,
  walkJsonText,
} from './safe-json.js';

const nested = (levels: number, open = '{"a":', close = '}') =>
  open.repeat(levels) + '1' + close.repeat(levels);

describe('parseUntrustedJson', () => {
  it('parses ordinary JSON', () => {
    expect(parseUntrustedJson('{"a":[1,{"b":"c"}]}')).toEqual({ a: [1, { b: 'c' }] });
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses the key %s at the top level and nested, naming it',
    (key) => {
      for (const text of [`{"${key}":{"polluted":true}}`, `{"a":[{"${key}":{"x":1}}]}`]) {
        expect(() => parseUntrustedJson(text)).toThrow(
          new UndeserializableMessageError(`Forbidden key "${key}"`),
        );
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('accepts those words as values', () => {
    expect(parseUntrustedJson('{"a":"__proto__"}')).toEqual({ a: '__proto__' });
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels with a typed error, not a RangeError`, () => {
    expect(parseUntrustedJson(nested(MAX_JSON_DEPTH - 1))).toBeDefined();
    for (const text of [nested(MAX_JSON_DEPTH + 1), nested(10_000, '[', ']')]) {
      expect(() => parseUntrustedJson(text)).toThrow(/nested deeper than 100 levels/);
    }
  });

  it('reports text that is not JSON, and a missing data field, as undeserializable', () => {
    expect(() => parseUntrustedJson('not json')).toThrow(UndeserializableMessageError);
    expect(() => parseUntrustedJson('not json')).toThrow(/not valid JSON/);
    expect(() => parseUntrustedJson(undefined)).toThrow(/no data field/);
  });
});

describe('assertJsonDepth', () => {
  it('counts only brackets outside strings, escaped quotes included', () => {
    expect(() =>
      assertJsonDepth(`{"a":"${'['.repeat(500)}\\"${'{'.repeat(500)}"}`, 2),
    ).not.toThrow();
    expect(() => assertJsonDepth('[[[]]]', 2)).toThrow(/deeper than 2 levels \(at character 2\)/);
    expect(() => assertJsonDepth('[[],{},[1]]', 2)).not.toThrow();
  });
});

describe('parseUntrustedJson and escapes', () => {
  it.each([
    ['__proto__', '{"\\u005f_proto__":{"polluted":true}}'],
    ['constructor', '{"x":{"\\u0063onstructor":1}}'],
  ])('refuses the key %s spelled with escapes', (key, text) => {
    expect(() => parseUntrustedJson(text)).toThrow(
      new UndeserializableMessageError(`Forbidden key "${key}"`),
    );
  });

  it('accepts the words as values and escapes that spell other keys', () => {
    expect(
      parseUntrustedJson('{"note":"constructor of the prototype","\\u0061":"\\u00e9"}'),
    ).toEqual({ note: 'constructor of the prototype', a: 'é' });
  });
});

describe('parseUntrustedJson and values that cannot be stored', () => {
  it.each([
    ['U+0000', '{"customer":"nul\\u0000byte"}', 'customer: contains the NUL character'],
    ['a lone surrogate', '{"title":"\\ud800"}', 'title: is not well-formed Unicode'],
    ['a raw lone surrogate', '{"title":"\ud800"}', 'title: is not well-formed Unicode'],
    ['an overflowing number', '{"items":[{"quantity":1e400}]}', 'items.0.quantity: is too large'],
    ['an unsafe integer', '{"n":9007199254740993}', 'n: is an integer beyond'],
    ['negative zero', '{"n":-0}', 'n: is negative zero'],
  ])('refuses %s with an UnstorableValueError naming the field', (_case, text, problem) => {
    let thrown: unknown;
    try {
      parseUntrustedJson(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnstorableValueError);
    expect((thrown as UnstorableValueError).problems).toEqual([expect.stringContaining(problem)]);
    expect((thrown as Error).message).toMatch(
      /^Message holds values that cannot be stored as sent: /,
    );
  });

  it('parses them when the text is only shown, never stored', () => {
    expect(parseUntrustedJson('{"a":"\\u0000"}', { storable: false })).toEqual({ a: '\u0000' });
  });

  it('keeps ordinary values, escaped pairs and exponents that round-trip', () => {
    expect(parseUntrustedJson('{"a":"\\ud83d\\ude00","b":1e-7,"c":-0.5,"d":1.5e300}')).toEqual({
      a: '😀',
      b: 1e-7,
      c: -0.5,
      d: 1.5e300,
    });
  });
});

describe('scanJsonText, whose native searches answer for ordinary text', () => {
  const outcome = (
    scan: (text: string, depth?: number) => boolean,
    text: string,
    depth?: number,
  ) => {
    try {
      return scan(text, depth);
    } catch (error) {
      return (error as Error).message;
    }
  };
  /** Numbers and strings the walk looks at: exponents, long literals, -0, NUL and surrogates. */
  const awkward = fc.oneof(
    fc.jsonValue(),
    fc.double(),
    fc.constantFrom(-0, 1e21, 1e-7, 2 ** 53 + 2, 0.1 + 0.2, -0.5),
    fc.string({ unit: 'binary' }),
    fc.constantFrom('\u0000', '\ud800', 'a\udfffb', '\\u0000', 'x: 1e5', ', -0'),
  );
  const texts = fc.oneof(
    fc.json(),
    fc
      .tuple(fc.array(awkward), fc.integer({ min: 0, max: 3 }))
      .map(([values, indent]) =>
        JSON.stringify({ values, tail: values.at(-1) ?? null }, null, indent),
      ),
    fc.string({ unit: 'binary' }),
    fc.stringMatching(/^[[{\]}"\\u0-9eE.:,\- ]{0,60}$/),
  );

  const isJson = (text: string) => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };

  it('answers as the walk does for any JSON text, and refuses the same nesting in any text', () => {
    fc.assert(
      fc.property(texts, fc.integer({ min: 1, max: 8 }), (text, depth) => {
        for (const limit of [depth, undefined]) {
          const fast = outcome(scanJsonText, text, limit);
          const walked = outcome(walkJsonText, text, limit);
          if (typeof walked === 'string' || isJson(text)) expect(fast).toEqual(walked);
          else expect(typeof fast).toBe('boolean'); // not JSON: the parser refuses it anyway
        }
      }),
      { numRuns: 3000 },
    );
  });
});
