import { InlineBroker } from '../../adapters/memory/inline-broker/inline.broker.js';
import { deadLetterPages } from './dead-letter-pages.js';
import type { DeadLetterRange } from './broker.port.js';

describe('deadLetterPages', () => {
  let now = 1000;
  const broker = new InlineBroker(
    'default',
    { maxPayloadBytes: 1 << 20, maxStreamLength: 0 },
    { now: () => now, schedule: () => () => undefined },
  );
  const provenance = {
    originalId: '1-0',
    group: 'G',
    consumer: 'c',
    error: 'boom',
    attempts: 1,
    failedAt: '2026-01-01T00:00:00.000Z',
  };
  /** The pages of a walk, as `stream:data` per letter. */
  const walk = async (range: DeadLetterRange, pageSize: number, limit?: number) => {
    const pages: string[][] = [];
    for await (const page of deadLetterPages(broker, undefined, range, { pageSize, limit }))
      pages.push(page.map((letter) => `${letter.stream}:${letter.data}`));
    return pages;
  };

  beforeAll(async () => {
    for (const [stream, data] of [
      ['b', '1'],
      ['a', '2'],
      ['b', '3'],
      ['a', '4'],
      ['a', '5'],
    ]) {
      await broker.deadLetter(stream, data, provenance);
      now++;
    }
  });

  afterAll(() => broker.close());

  it('walks every letter once, in the listing order, no page empty', async () => {
    expect(await walk({}, 2)).toEqual([['b:1', 'a:2'], ['b:3', 'a:4'], ['a:5']]);
    expect(await walk({}, 5)).toEqual([['b:1', 'a:2', 'b:3', 'a:4', 'a:5']]);
  });

  it('stops after the limit, and keeps to the range', async () => {
    expect(await walk({}, 2, 3)).toEqual([['b:1', 'a:2'], ['b:3']]);
    expect(await walk({ sinceMs: 1001, untilMs: 1003 }, 2)).toEqual([['a:2', 'b:3'], ['a:4']]);
  });

  it('goes on after the letter given, and never meets the letters written past its bound meanwhile', async () => {
    const [first] = await broker.listDeadLetters(undefined, 1);
    const range = { after: first, untilMs: now };
    const pages = deadLetterPages(broker, undefined, range, { pageSize: 1 });
    const seen: string[] = [];
    for await (const [letter] of pages) {
      seen.push(`${letter.stream}:${letter.data}`);
      // A letter written while the walk goes on, at a later time than its bound.
      now++;
      await broker.deadLetter('a', `late after ${letter.data}`, provenance);
    }
    expect(seen).toEqual(['a:2', 'b:3', 'a:4', 'a:5']);
  });
});
