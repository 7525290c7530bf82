import { untrustedJsonBody, type CheckedRequest } from './untrusted-json-body.js';

describe('untrustedJsonBody', () => {
  const options = untrustedJsonBody('100kb');

  it('keeps the size limit', () => {
    expect(options.limit).toBe('100kb');
  });

  it('refuses deep nesting on the raw text with a 400 naming it', () => {
    const deep = Buffer.from('['.repeat(10_000) + ']'.repeat(10_000));
    expect(() => options.verify({}, undefined, deep)).toThrow(
      expect.objectContaining({
        status: 400,
        message: 'JSON nested deeper than 100 levels (at character 100) in the request body',
      }),
    );
    expect(() => options.verify({}, undefined, Buffer.from('{"a":[1]}'))).not.toThrow();
  });

  it('makes JSON.parse refuse prototype keys with a 400 naming the key', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const parse = () => void JSON.parse(`{"a":{"${key}":{"polluted":1}}}`, options.reviver);
      expect(parse).toThrow(
        expect.objectContaining({
          status: 400,
          message: `Forbidden key "${key}" in the request body`,
        }),
      );
    }
    expect(JSON.parse('{"a":"__proto__"}', options.reviver)).toEqual({ a: '__proto__' });
  });

  it('refuses bytes that are not UTF-8 with a 400, instead of reading them as U+FFFD', () => {
    expect(() => options.verify({}, undefined, Buffer.from([0x22, 0xff, 0x22]))).toThrow(
      expect.objectContaining({ status: 400, message: 'Invalid UTF-8 in the request body' }),
    );
  });

  it('notes the values that cannot be stored on the request, named by field', () => {
    const request: CheckedRequest = {};
    const body = Buffer.from('{"customer":"nul\\u0000","items":[{"quantity":9007199254740993}]}');
    options.verify(request, undefined, body);
    expect(request.unstorableValues).toEqual([
      'customer: contains the NUL character (U+0000), which PostgreSQL cannot store',
      'items.0.quantity: is an integer beyond ±(2^53−1), which a 64-bit number cannot hold exactly',
    ]);
    const valid: CheckedRequest = {};
    options.verify(valid, undefined, Buffer.from('{"customer":"Ada","price":9.99}'));
    expect(valid.unstorableValues).toBeUndefined();
  });
});
