import { deadLetterScope, scopedStream } from '../../ports/broker/dead-letter-scope.js';
import { InvalidDeadLetterScopeError } from '../../ports/broker/invalid-dead-letter-scope.error.js';

describe('dead-letter scope', () => {
  const cli = { stream: '--stream', all: '--all' };

  it('is one stream, or every stream only when said explicitly', () => {
    expect(deadLetterScope({ stream: 'orders' })).toEqual({ stream: 'orders' });
    expect(deadLetterScope({ all: true })).toEqual({ all: true });
    expect(scopedStream({ stream: 'orders' })).toBe('orders');
    expect(scopedStream({ all: true })).toBeUndefined();
  });

  it.each([
    [{}, 'name the stream (--stream), or give --all to act on every stream'],
    [{ all: false }, 'name the stream (--stream), or give --all to act on every stream'],
    [{ stream: '' }, '--stream is empty: name a stream'],
    [{ stream: ' \t' }, '--stream is empty: name a stream'],
    [{ stream: 'orders', all: true }, 'give --stream or --all, not both'],
    [{ stream: '', all: true }, 'give --stream or --all, not both'],
  ])('refuses %j, naming the inputs', (input, message) => {
    expect(() => deadLetterScope(input, cli)).toThrow(InvalidDeadLetterScopeError);
    expect(() => deadLetterScope(input, cli)).toThrow(message);
  });

  it('names the JSON fields by default', () => {
    expect(() => deadLetterScope({ stream: '' })).toThrow('"stream" is empty');
    expect(() => deadLetterScope({})).toThrow(
      'name the stream ("stream"), or give "all": true to act on every stream',
    );
  });
});
