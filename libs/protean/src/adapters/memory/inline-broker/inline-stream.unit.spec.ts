import { InlineStream } from './inline-stream.js';
import { SYSTEM_CLOCK } from '../../../core/async/clock.js';

describe('InlineStream trimming', () => {
  const filled = (count: number) => {
    const stream = new InlineStream('s', SYSTEM_CLOCK);
    for (let n = 1; n <= count; n++) stream.append(`${n}-0`, { data: String(n) });
    return stream;
  };
  const ids = (stream: InlineStream) => stream.range({}, 1000).map((entry) => entry.id);

  it('keeps the newest max entries when no group exists', () => {
    const stream = filled(10);
    expect(stream.trim(3)).toBe(7);
    expect(ids(stream)).toEqual(['8-0', '9-0', '10-0']);
  });

  it('keeps everything from a group’s oldest pending entry', () => {
    const stream = filled(10);
    const group = stream.ensureGroup('G', '0');
    stream.deliver(group, 'c', 10, 0);
    group.acknowledge(['1-0', '2-0', '3-0', '5-0']);
    expect(stream.trim(2)).toBe(3);
    expect(ids(stream)[0]).toBe('4-0');
  });

  it('keeps everything from a group’s first undelivered entry', () => {
    const stream = filled(10);
    const group = stream.ensureGroup('G', '0');
    const delivered = stream.deliver(group, 'c', 6, 0);
    group.acknowledge(delivered.map((entry) => entry.id));
    expect(stream.trim(2)).toBe(6);
    expect(ids(stream)[0]).toBe('7-0');
  });

  it('lets the slowest of several groups decide', () => {
    const stream = filled(10);
    const fast = stream.ensureGroup('Fast', '0');
    fast.acknowledge(stream.deliver(fast, 'c', 10, 0).map((entry) => entry.id));
    stream.ensureGroup('Late', '$');
    const slow = stream.ensureGroup('Slow', '0');
    stream.deliver(slow, 'c', 4, 0);
    slow.acknowledge(['1-0']);
    expect(stream.trim(1)).toBe(1);
    expect(ids(stream)[0]).toBe('2-0');
  });

  it('does nothing while the stream is within its length', () => {
    expect(filled(3).trim(5)).toBe(0);
  });
});
