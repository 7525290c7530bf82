import fc from 'fast-check';
import { InlineBroker } from '../../../adapters/memory/inline-broker/inline.broker.js';
import { boundsOf } from '../../../adapters/brokers/dead-letter-queue.js';
import { compareDeadLetters } from '../../../ports/broker/dead-letter-pages.js';
import { compareStreamIds } from '../../../ports/broker/stream-id.js';
import type { DeadLetter } from '../../../ports/broker/broker.port.js';
import type { ProteanStatus } from '../status/protean-status.js';
import { DeadLetterBrowser, type DeadLetterFilter } from './dead-letter-browser.js';
import type { DeadLetterCursor } from './dead-letter-cursor.js';

const STREAMS = ['a', 'b', 'b#1', 'c'];
const GROUPS = ['G1', 'G2'];
const ERRORS = ['Timeout reading', 'boom', 'TIMEOUT again'];

/** A letter to write: which broker, stream, group and error, and how far the clock moves first. */
const letter = fc.record({
  broker: fc.constantFrom('one', 'two'),
  stream: fc.constantFrom(...STREAMS),
  group: fc.constantFrom(...GROUPS),
  error: fc.constantFrom(...ERRORS),
  tick: fc.constantFrom(0, 0, 1, 5),
});

type Letter = typeof letter extends fc.Arbitrary<infer T> ? T : never;

const filter = fc.record(
  {
    stream: fc.constantFrom(...STREAMS),
    handler: fc.constantFrom(...GROUPS),
    error: fc.constantFrom('timeout', 'BOOM', 'nothing'),
    sinceMs: fc.integer({ min: 1000, max: 1040 }),
    untilMs: fc.integer({ min: 1000, max: 1040 }),
  },
  { requiredKeys: [] },
);

/** Two inline brokers on one manual time, the letters written, and a browser over them. */
async function setUp(letters: Letter[]) {
  let now = 1000;
  const brokers = new Map(
    ['two', 'one'].map((name) => [
      name,
      new InlineBroker(
        name,
        { maxPayloadBytes: 1 << 20, maxStreamLength: 0 },
        { now: () => now, schedule: () => () => undefined },
      ),
    ]),
  );
  const written: { broker: string; letter: DeadLetter }[] = [];
  for (const [n, l] of letters.entries()) {
    now += l.tick;
    const provenance = {
      originalId: `${n}-0`,
      group: l.group,
      consumer: 'c',
      error: l.error,
      attempts: 1,
      failedAt: new Date(now).toISOString(),
    };
    const id = await brokers.get(l.broker)!.deadLetter(l.stream, String(n), provenance);
    written.push({
      broker: l.broker,
      letter: { id, stream: l.stream, data: String(n), provenance },
    });
  }
  const status = {
    brokerNames: () => [...brokers.keys()],
    broker: (name: string) => brokers.get(name)!,
  } as unknown as ProteanStatus;
  return { browser: new DeadLetterBrowser(status), written };
}

/** What a filter selects, by its definition, in the listing's order. */
function expected(written: { broker: string; letter: DeadLetter }[], f: DeadLetterFilter) {
  const time = (id: string) => Number(id.split('-')[0]);
  return written
    .filter(
      ({ letter }) =>
        (f.stream === undefined || letter.stream === f.stream) &&
        (f.handler === undefined || letter.provenance.group === f.handler) &&
        (f.error === undefined ||
          letter.provenance.error.toLowerCase().includes(f.error.toLowerCase())) &&
        (f.sinceMs === undefined || time(letter.id) >= f.sinceMs) &&
        (f.untilMs === undefined || time(letter.id) <= f.untilMs),
    )
    .sort(
      (x, y) =>
        (x.broker < y.broker ? -1 : x.broker > y.broker ? 1 : 0) ||
        compareDeadLetters(x.letter, y.letter),
    )
    .map(({ broker, letter }) => `${broker}/${letter.stream}/${letter.data}`);
}

describe('DeadLetterBrowser', () => {
  it('pages through any filter of any letters: each selected letter once, in order, whatever the page size and budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(letter, { maxLength: 60 }),
        filter,
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        async (letters, f, want, budget) => {
          const { browser, written } = await setUp(letters);
          const seen: string[] = [];
          let after: DeadLetterCursor | undefined;
          for (let call = 0; call < 1000; call++) {
            const page = await browser.scan(f, after, want, budget);
            expect(page.matched.length).toBeLessThanOrEqual(want);
            expect(page.scanned).toBeLessThanOrEqual(budget);
            seen.push(
              ...page.matched.map((m) => `${m.broker}/${m.letter.stream}/${m.letter.data}`),
            );
            if (page.next === null) break;
            after = page.next;
          }
          expect(seen).toEqual(expected(written, f));
          const counted = await browser.scan(f, undefined, Infinity, 10_000, { keep: false });
          expect([counted.count, counted.matched.length]).toEqual([seen.length, 0]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('boundsOf', () => {
  const id = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }));
  const entry = fc.record({ id, stream: fc.constantFrom(...STREAMS) });

  it('starts each stream just after a cursor in (id, stream) order, within a time range', () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 40 }),
        fc.option(entry, { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
        (entries, cursor, sinceMs, untilMs) => {
          const text = ([ms, seq]: [number, number]) => `${ms}-${seq}`;
          const after = cursor && { id: text(cursor.id), stream: cursor.stream };
          const inBounds = (e: { id: [number, number]; stream: string }) => {
            const { start, end } = boundsOf(e.stream, { after, sinceMs, untilMs });
            const order = start ? compareStreamIds(text(e.id), start.id) : 1;
            const fromOk = !start || order > 0 || (order === 0 && !start.exclusive);
            return fromOk && (end === undefined || compareStreamIds(text(e.id), end) <= 0);
          };
          const byDefinition = (e: { id: [number, number]; stream: string }) =>
            (!after ||
              compareStreamIds(text(e.id), after.id) > 0 ||
              (text(e.id) === after.id && e.stream > after.stream)) &&
            (sinceMs === undefined || e.id[0] >= sinceMs) &&
            (untilMs === undefined || e.id[0] <= untilMs);
          for (const e of entries) expect(inBounds(e)).toBe(byDefinition(e));
        },
      ),
      { numRuns: 500 },
    );
  });
});
