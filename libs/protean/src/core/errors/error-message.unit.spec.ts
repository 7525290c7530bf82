import { stackOf } from './error-message.js';

describe('stackOf', () => {
  it("prints an error's stack, which names its class and message", () => {
    const error = new TypeError('no such book');
    expect(stackOf(error)).toBe(error.stack);
    expect(stackOf(error)).toMatch(/^TypeError: no such book\n\s+at /);
  });

  it('falls back to the message of an error without a stack', () => {
    const error = new Error('lost');
    error.stack = undefined;
    expect(stackOf(error)).toBe('lost');
  });

  it('prints anything else thrown as a string', () => {
    expect(stackOf('plain text')).toBe('plain text');
    expect(stackOf(42)).toBe('42');
  });
});
