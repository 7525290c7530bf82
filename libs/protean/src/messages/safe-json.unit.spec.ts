import { UndeserializableMessageError } from './message.errors.js';
import { parseUntrustedJson } from './safe-json.js';

describe('parseUntrustedJson', () => {
  it('parses ordinary JSON', () => {
    expect(parseUntrustedJson('{"a":[1,{"b":"c"}],"d":null}')).toEqual({
      a: [1, { b: 'c' }],
      d: null,
    });
  });

  it.each([
    ['__proto__', '{"a":{"__proto__":{"polluted":true}}}'],
    ['constructor', '{"constructor":{"name":1}}'],
    ['prototype', '[{"prototype":1}]'],
    ['__proto__', '{"\\u005f_proto__":{"polluted":true}}'],
    ['constructor', '{"x":{"\\u0063onstructor":1}}'],
  ])('refuses the key %s, however it is spelled', (key, text) => {
    expect(() => parseUntrustedJson(text)).toThrow(
      new UndeserializableMessageError(`Forbidden key "${key}"`),
    );
  });

  it('accepts the words as values and escapes that spell other keys', () => {
    expect(
      parseUntrustedJson('{"note":"constructor of the prototype","\\u0061":"\\u00e9"}'),
    ).toEqual({ note: 'constructor of the prototype', a: 'é' });
  });

  it('reports text that is not JSON, or no text, as undeserializable', () => {
    expect(() => parseUntrustedJson('{"a":')).toThrow(UndeserializableMessageError);
    expect(() => parseUntrustedJson(undefined)).toThrow('Message has no data field');
  });
});
