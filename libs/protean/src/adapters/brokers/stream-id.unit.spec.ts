import {
  compareStreamIds,
  isStreamId,
  StreamIdGenerator,
  streamIdTimeMs,
} from '../../ports/broker/stream-id.js';

describe('stream ids', () => {
  it('orders by milliseconds, then by sequence, numerically', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-2')).toBe(0);
    expect(compareStreamIds('11-0', '10-99')).toBeGreaterThan(0);
  });

  it('reads the milliseconds of an id, and NaN from what has none', () => {
    expect(streamIdTimeMs('1700000000123-7')).toBe(1700000000123);
    expect(streamIdTimeMs('0-0')).toBe(0);
    for (const id of ['', '-1', '17x-0', '1700000000123', 'abc-0'])
      expect(streamIdTimeMs(id)).toBeNaN();
  });

  it('refuses what is not an id', () => {
    expect(() => compareStreamIds('abc', '1-0')).toThrow('not a stream id: abc');
  });

  it('tells an id a stream could hold from a malformed or out-of-range one', () => {
    expect(isStreamId('1700000000000-0')).toBe(true);
    expect(isStreamId('18446744073709551615-18446744073709551615')).toBe(true);
    for (const id of [
      'abc',
      '1',
      '1-',
      '-1',
      '1-2-3',
      ' 1-0',
      '99999999999999999999999-0', // beyond Redis's unsigned 64-bit parts
      '18446744073709551616-0',
      '0-18446744073709551616',
      '000000000000000000001-0',
    ])
      expect([id, isStreamId(id)]).toEqual([id, false]);
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
