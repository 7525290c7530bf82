import {
  parseAutoClaimReply,
  parseEntries,
  parseGroupsInfo,
  parsePendingDeliveryCount,
  parseReadReply,
} from './stream-reply.parser.js';

describe('Redis Streams reply parsing', () => {
  it('reads entries with data, other fields, or none at all, without throwing', () => {
    expect(
      parseEntries([
        ['1-0', ['data', '{"a":1}']],
        ['2-0', ['customer', 'Ann', 'odd']],
        ['3-0', null],
        'garbage',
      ]),
    ).toEqual([
      { id: '1-0', fields: { data: '{"a":1}' } },
      { id: '2-0', fields: { customer: 'Ann' } },
      { id: '3-0', fields: {} },
    ]);
  });

  it('reads XREADGROUP replies, including the null of a timeout', () => {
    expect(parseReadReply(null)).toEqual([]);
    expect(parseReadReply([['s', [['1-0', ['data', 'x']]]]])).toEqual([
      { id: '1-0', fields: { data: 'x' } },
    ]);
  });

  it('reads XAUTOCLAIM replies with their cursor and deleted ids', () => {
    expect(parseAutoClaimReply(['5-0', [['4-0', ['data', 'x']]], ['3-0']])).toEqual({
      cursor: '5-0',
      entries: [{ id: '4-0', fields: { data: 'x' } }],
      deleted: ['3-0'],
    });
    expect(parseAutoClaimReply(undefined).cursor).toBe('0-0');
  });

  it('reads delivery counts from XPENDING', () => {
    expect(parsePendingDeliveryCount([['1-0', 'c', 1200, 4]])).toBe(4);
    expect(parsePendingDeliveryCount([])).toBe(0);
  });

  it('reads XINFO GROUPS, lag unknown as undefined', () => {
    const reply = [
      ['name', 'G', 'consumers', 2, 'pending', 1, 'last-delivered-id', '7-0',
        'entries-read', 7, 'lag', null],
    ]; // prettier-ignore
    expect(parseGroupsInfo(reply)).toEqual([
      {
        name: 'G',
        consumers: 2,
        pending: 1,
        lastDeliveredId: '7-0',
        lag: undefined,
        entriesRead: 7,
      },
    ]);
  });
});
