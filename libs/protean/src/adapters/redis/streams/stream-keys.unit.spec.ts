import { keyInSlotOf, slotTag, StreamKeys } from './stream-keys.js';

describe('stream keys', () => {
  it('tags a stream by its name up to the first #', () => {
    expect(slotTag('bookshelf::order')).toBe('bookshelf::order');
    expect(slotTag('bookshelf::order#3')).toBe('bookshelf::order');
    expect(slotTag('a#1#2')).toBe('a');
    expect(slotTag('#3')).toBe('#3');
  });

  it('keeps the plain names on one Redis', () => {
    const keys = new StreamKeys(false);
    expect(keys.of('bookshelf::book')).toBe('bookshelf::book');
    expect(keys.of('bookshelf::book:dlq')).toBe('bookshelf::book:dlq');
    expect(keys.beside('bookshelf::order', ':partitions:G')).toBe('bookshelf::order:partitions:G');
    expect(keys.deadLetterStreamOf('orders:dlq')).toBe('orders:dlq');
  });

  it('puts every key of a stream in the slot of its tag on a cluster', () => {
    const keys = new StreamKeys(true);
    expect(keys.of('bookshelf::book')).toBe('{bookshelf::book}');
    expect(keys.of('bookshelf::book:dlq')).toBe('{bookshelf::book}:dlq');
    expect(keys.of('bookshelf::order#3')).toBe('{bookshelf::order}#3');
    expect(keys.of('bookshelf::order#3:dlq')).toBe('{bookshelf::order}#3:dlq');
    expect(keyInSlotOf('bookshelf::order', ':partitions:G', true)).toBe(
      '{bookshelf::order}:partitions:G',
    );
  });

  it.each(['bookshelf::book', 'bookshelf::order#3', '#3', 'a}b', 'a}b#2', '{orders}'])(
    'reads the dead-letter stream of %s back from its cluster key',
    (stream) => {
      const keys = new StreamKeys(true);
      expect(keys.deadLetterStreamOf(keys.of(`${stream}:dlq`))).toBe(`${stream}:dlq`);
    },
  );

  it('ignores :dlq keys it did not make on a cluster', () => {
    const keys = new StreamKeys(true);
    expect(keys.deadLetterStreamOf('orders:dlq')).toBeUndefined();
    expect(keys.deadLetterStreamOf('{orders}')).toBeUndefined();
  });
});
