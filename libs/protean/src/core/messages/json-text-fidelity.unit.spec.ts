import fc from 'fast-check';
import { isWellFormedUnicode, unstorableValueProblems } from './json-fidelity.js';
import { unstorableTextProblems } from './json-text-fidelity.js';
import { scanJsonText } from './safe-json.js';

/** Any JSON value, its strings of any code units (lone surrogates, U+0000 included). */
const anyJson = fc.jsonValue({ stringUnit: 'binary', maxDepth: 4 });
/** Number literals as outsiders write them: any digits, any exponent, any sign. */
const anyLiteral = fc
  .tuple(
    fc.boolean(),
    fc.stringMatching(/^(0|[1-9]\d{0,30})$/),
    fc.option(fc.stringMatching(/^\d{1,30}$/)),
    fc.option(fc.integer({ min: -400, max: 400 })),
  )
  .map(
    ([negative, whole, fraction, exponent]) =>
      `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : `e${exponent}`}`,
  );

describe('unstorableTextProblems', () => {
  it('names the path of strings, keys and numbers as written', () => {
    const text =
      '{"customer":"nul\\u0000","items":[{"quantity":1},{"quantity":9007199254740993}],' +
      '"\\ud800":1,"price":1e400,"fine":[0.1,"\\ud83d\\ude00"]}';
    expect(unstorableTextProblems(text)).toEqual([
      'customer: contains the NUL character (U+0000), which PostgreSQL cannot store',
      'items.1.quantity: is an integer beyond ±(2^53−1), which a 64-bit number cannot hold exactly',
      '"\\ud800": key is not well-formed Unicode (a lone surrogate at character 0), which cannot be stored',
      'price: is too large for a 64-bit number (it would become Infinity)',
    ]);
  });

  it('names the root, and leaves text that is not JSON to the parser', () => {
    expect(unstorableTextProblems('-0')).toEqual([
      '(root): is negative zero, which reads back as 0',
    ]);
    expect(unstorableTextProblems('{"a":"\\u0000"')).toEqual([]);
  });

  it('agrees with the value rule on every JSON value (but -0, which JSON.stringify writes as 0)', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        const text = JSON.stringify(value);
        const fromText = unstorableTextProblems(text);
        const fromValue = unstorableValueProblems(JSON.parse(text));
        expect(fromText).toEqual(fromValue);
      }),
      { numRuns: 500 },
    );
  });
});

describe('scanJsonText: the fast path never misses what the rule refuses', () => {
  const missed = (text: string) =>
    unstorableTextProblems(text).length > 0 && !scanJsonText(text) && isWellFormedUnicode(text);

  it('for any JSON value', () => {
    fc.assert(
      fc.property(anyJson, (value) => !missed(JSON.stringify(value))),
      { numRuns: 500 },
    );
  });

  it('for any number literal, alone and in an object', () => {
    fc.assert(
      fc.property(anyLiteral, (literal) => !missed(literal) && !missed(`{"n":[${literal}]}`)),
      { numRuns: 2000 },
    );
  });

  it('answers false for ordinary messages', () => {
    const order = JSON.stringify({
      id: '0b4c7a2e-4e2a-4f7d-9c1e-5e8e2f1a0b3c',
      customer: 'Ada é 😀',
      items: [{ quantity: 3, price: 9.99 }],
      time: new Date(0).toISOString(),
    });
    expect(scanJsonText(order)).toBe(false);
  });
});
