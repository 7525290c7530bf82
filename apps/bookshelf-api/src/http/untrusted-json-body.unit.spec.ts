import { untrustedJsonBody } from './untrusted-json-body.js';

describe('untrustedJsonBody', () => {
  const options = untrustedJsonBody('100kb');

  it('keeps the size limit', () => {
    expect(options.limit).toBe('100kb');
  });

  it('refuses deep nesting on the raw text with a 400 naming it', () => {
    const deep = Buffer.from('['.repeat(10_000) + ']'.repeat(10_000));
    expect(() => options.verify(undefined, undefined, deep)).toThrow(
      expect.objectContaining({
        status: 400,
        message: 'JSON nested deeper than 100 levels (at character 100) in the request body',
      }),
    );
    expect(() => options.verify(undefined, undefined, Buffer.from('{"a":[1]}'))).not.toThrow();
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
});
