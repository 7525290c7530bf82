import fc from 'fast-check';
import {
  formatJsonPath,
  numberLiteralProblem,
  numberProblem,
  stringProblem,
  unstorableValueProblems,
} from './json-fidelity.js';

describe('stringProblem', () => {
  it('accepts any well-formed text without U+0000, pairs of surrogates included', () => {
    for (const text of ['', 'Dune', 'é 日本 😀', '\u0001\u001f', '\uffff']) {
      expect(stringProblem(text)).toBeUndefined();
    }
  });

  it('refuses U+0000 and lone surrogates, saying why', () => {
    expect(stringProblem('nul\u0000byte')).toMatch(/NUL character \(U\+0000\)/);
    expect(stringProblem('a\ud800')).toMatch(/lone surrogate at character 1/);
    expect(stringProblem('\udc00x')).toMatch(/lone surrogate at character 0/);
    expect(stringProblem('😀\ud83d')).toMatch(/lone surrogate at character 1/);
  });
});

describe('numberLiteralProblem', () => {
  it.each([
    '0',
    '1',
    '-1',
    '0.1',
    '9.99',
    '1.50',
    '2e3',
    '1E2',
    '1e-7',
    '1e+21',
    '1e300',
    '5e-324',
  ])('accepts %s: the float it parses to is the number written', (literal) =>
    expect(numberLiteralProblem(literal)).toBeUndefined(),
  );

  it.each([
    ['1e400', /too large .* Infinity/],
    ['-1e400', /too large .* Infinity/],
    ['1e-400', /too small .* become 0/],
    ['-0', /negative zero/],
    ['-0.0e5', /negative zero/],
    ['9007199254740992', /beyond ±\(2\^53−1\)/],
    ['-9007199254740993', /beyond ±\(2\^53−1\)/],
    ['123456789012345678901234567890', /beyond ±\(2\^53−1\)/],
    ['0.1000000000000000055', /more digits .* become 0\.1\)/],
    ['1.000000000000000000001', /more digits .* become 1\)/],
    ['4.9e-324', /more digits/],
  ])('refuses %s', (literal, reason) => expect(numberLiteralProblem(literal)).toMatch(reason));

  it('accepts every literal JSON.stringify writes for a finite double, but unsafe integers', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const problem = numberLiteralProblem(JSON.stringify(value));
        const unsafeInteger = Number.isInteger(value) && !Number.isSafeInteger(value);
        return unsafeInteger && Math.abs(value) < 1e21
          ? problem !== undefined
          : problem === undefined;
      }),
    );
  });
});

describe('numberProblem', () => {
  it('refuses what JSON cannot carry back', () => {
    expect(numberProblem(Infinity)).toMatch(/Infinity, which JSON cannot carry/);
    expect(numberProblem(NaN)).toMatch(/NaN/);
    expect(numberProblem(-0)).toMatch(/negative zero/);
    expect(numberProblem(2 ** 60)).toMatch(/beyond/);
    expect(numberProblem(1e300)).toBeUndefined();
    expect(numberProblem(0.1 + 0.2)).toBeUndefined();
  });
});

describe('unstorableValueProblems', () => {
  it('names every field, nested and in arrays, as validation errors do', () => {
    expect(
      unstorableValueProblems({
        customer: 'nul\u0000',
        items: [{ bookId: 'ok', quantity: Infinity }, { title: '\ud800' }],
        ok: [1, 'two', null, true, { deep: [new Date(0)] }],
        'odd key': -0,
        ['\u0000']: 1,
        big: 10n,
      }),
    ).toEqual([
      'customer: contains the NUL character (U+0000), which PostgreSQL cannot store',
      'items.0.quantity: is Infinity, which JSON cannot carry (it becomes null)',
      'items.1.title: is not well-formed Unicode (a lone surrogate at character 0), which cannot be stored',
      '"odd key": is negative zero, which reads back as 0',
      '"\\u0000": key contains the NUL character (U+0000), which PostgreSQL cannot store',
      'big: is a bigint, which JSON cannot carry',
    ]);
  });

  it('finds nothing in a faithful value, and ends a cycle instead of overflowing', () => {
    expect(unstorableValueProblems({ a: [1, 'b', { c: null }], d: undefined })).toEqual([]);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(unstorableValueProblems(cyclic)).toEqual([
      expect.stringMatching(/^self\.self\..*: is nested deeper than 100 levels$/),
    ]);
  });

  it('formats the root and odd keys', () => {
    expect(formatJsonPath([])).toBe('(root)');
    expect(formatJsonPath(['items', 0, 'a.b'])).toBe('items.0."a.b"');
  });
});
