import { InvalidArgumentError } from 'commander';
import { deadLetterId, streamName, wholeNumber } from './cli-parsers.js';

describe('CLI value parsers', () => {
  const limit = wholeNumber(1, 100_000);

  it('reads whole numbers in range', () => {
    expect(limit('1')).toBe(1);
    expect(limit('250')).toBe(250);
    expect(limit('100000')).toBe(100_000);
  });

  it.each([
    '0',
    '-5',
    'abc',
    '',
    ' 5',
    '1.5',
    '1e20',
    '1e3',
    '0x10',
    '100001',
    '99999999999999999999',
  ])('refuses %j, saying what is allowed', (value) => {
    expect(() => limit(value)).toThrow(InvalidArgumentError);
    expect(() => limit(value)).toThrow('expected a whole number from 1 to 100000');
  });

  it('refuses an empty or blank stream name', () => {
    expect(streamName('orders')).toBe('orders');
    for (const value of ['', ' ', '\t'])
      expect(() => streamName(value)).toThrow('expected a stream name, got an empty one');
  });

  it('refuses a malformed dead letter id; leaves range to the broker (not found)', () => {
    expect(deadLetterId('1700000000000-0')).toBe('1700000000000-0');
    expect(deadLetterId('99999999999999999999999-0')).toBe('99999999999999999999999-0');
    for (const value of ['abc', '1', '1-', '-1', '', '1-0 '])
      expect(() => deadLetterId(value)).toThrow('expected a dead letter id <ms>-<seq>');
  });
});
