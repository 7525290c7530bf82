import { compareStreamIds, StreamIdGenerator } from './stream-id.js';

describe('stream ids', () => {
  it('orders by milliseconds, then by sequence, numerically', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-2')).toBe(0);
    expect(compareStreamIds('11-0', '10-99')).toBeGreaterThan(0);
  });

  it('refuses what is not an id', () => {
    expect(() => compareStreamIds('abc', '1-0')).toThrow('not a stream id: abc');
  });

  it('mints strictly increasing ids even when the clock stalls or steps back', () => {
    const times = [100, 100, 99, 101];
    const ids = new StreamIdGenerator(() => times.shift()!);
    expect([ids.next(), ids.next(), ids.next(), ids.next()]).toEqual([
      '100-0',
      '100-1',
      '100-2',
      '101-0',
    ]);
  });
});
