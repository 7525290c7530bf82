import fc from 'fast-check';
import {
  partitionOf,
  partitionStream,
  StreamPartitions,
  unpartitioned,
} from './stream-partitions.js';
import { instanceStream } from './stream-names.js';

describe('partitionOf', () => {
  it('is FNV-1a of the UTF-8 bytes: fixed values any other implementation can check', () => {
    // FNV-1a 32: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968 (the published vectors).
    expect(partitionOf('', 1 << 30)).toBe(0x811c9dc5 % (1 << 30));
    expect(partitionOf('a', 1000)).toBe(0xe40c292c % 1000);
    expect(partitionOf('foobar', 7)).toBe(0xbf9cf968 % 7);
    expect(partitionOf('é', 1 << 30)).toBe(fnv1a([0xc3, 0xa9]) % (1 << 30));
  });

  it('is always a partition in range, and the same for the same id', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 1024 }), (id, n) => {
        const k = partitionOf(id, n);
        expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
        expect(partitionOf(id, n)).toBe(k);
      }),
    );
  });

  it('spreads uuids evenly: no partition of 8 gets over 1.25× its share of 8,000', () => {
    fc.assert(
      fc.property(fc.array(fc.uuid(), { minLength: 8000, maxLength: 8000 }), (ids) => {
        const counts = new Array<number>(8).fill(0);
        for (const id of ids) counts[partitionOf(id, 8)]++;
        expect(Math.max(...counts)).toBeLessThan(1250);
      }),
      { numRuns: 5 },
    );
  });
});

describe('StreamPartitions', () => {
  const streams = new StreamPartitions({
    'shop::order': { partitions: 4 },
    'shop::book': { partitions: 1 },
  });

  it('routes every aggregate of a partitioned category to one of its partition streams', () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        const stream = streams.brokerStreamOf(instanceStream('shop::order', id));
        expect(streams.streamsOf('shop::order')).toContain(stream);
        expect(stream).toBe(partitionStream('shop::order', partitionOf(id, 4)));
        expect(unpartitioned(stream)).toBe('shop::order');
      }),
    );
  });

  it('leaves other categories (and one partition) on their own stream', () => {
    expect(streams.brokerStreamOf('shop::book-1')).toBe('shop::book');
    expect(streams.brokerStreamOf('shop::order:command-1')).toBe('shop::order:command');
    expect(streams.streamsOf('shop::book')).toEqual(['shop::book']);
    expect([...streams.partitioned]).toEqual([['shop::order', 4]]);
  });

  it('reads a partition off a stream name, and nothing else', () => {
    expect(unpartitioned('shop::order#12')).toBe('shop::order');
    expect(unpartitioned('shop::order')).toBe('shop::order');
    expect(unpartitioned('tag#x')).toBe('tag#x');
  });
});

function fnv1a(bytes: readonly number[]): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}
