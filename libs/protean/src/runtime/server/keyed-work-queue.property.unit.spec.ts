import fc from 'fast-check';
import { ManualClock, settle } from '../../../../../test/support/manual-clock.js';
import { KeyedWorkQueue, type RetryLater } from './keyed-work-queue.js';

interface Item {
  readonly id: number;
  readonly key: string | undefined;
  /** How many times it asks to run again later before it finishes. */
  retriesLeft: number;
}

/** One run of an item, which the scenario finishes when it chooses. */
interface Run {
  readonly item: Item;
  readonly finish: (outcome: RetryLater | void) => void;
}

const RETRY_MS = 10;

/**
 * What a scenario does next: push an item, finish one of the running items (the `finish`-th,
 * wrapping), or let time pass so that retries fall due.
 */
const step = fc.oneof(
  fc.record({ push: fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: undefined }) }),
  fc.record({ finish: fc.nat() }),
  fc.record({ wait: fc.constant(true) }),
);

describe('KeyedWorkQueue, against a model', () => {
  it('runs every item to its end once, within the concurrency, never two of a key at once, in order per key, leaving no runnable item waiting', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(step, { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 60, maxLength: 60 }),
        async (concurrency, steps, retries) => {
          const clock = new ManualClock();
          const running: Run[] = [];
          const started: Item[] = [];
          const finished: number[] = [];
          const queue = new KeyedWorkQueue<Item>(
            concurrency,
            (item) =>
              new Promise((finish) => void (running.push({ item, finish }), started.push(item))),
            clock,
          );
          const pushed: Item[] = [];
          /** Items waiting for their retry to fall due. */
          const retrying = new Set<Item>();

          const check = async () => {
            await settle();
            // Within the concurrency, and never two of one key at once.
            expect(running.length).toBeLessThanOrEqual(concurrency);
            const keys = running.flatMap(({ item }) => (item.key === undefined ? [] : [item.key]));
            expect(new Set(keys).size).toBe(keys.length);
            expect(queue.size).toBe(pushed.length - finished.length);
            // No runnable item left waiting while a slot is free: the oldest unfinished item of
            // a key that neither runs nor waits to retry would be runnable.
            if (running.length < concurrency) {
              const busy = new Set([...running.map(({ item }) => item), ...retrying].map(keyOf));
              const waiting = pushed.filter(
                (item) =>
                  !finished.includes(item.id) &&
                  !running.some((run) => run.item === item) &&
                  !retrying.has(item) &&
                  !busy.has(keyOf(item)),
              );
              expect(waiting).toEqual([]);
            }
          };
          const finishRun = (index: number) => {
            const [run] = running.splice(index, 1);
            if (run.item.retriesLeft > 0) {
              run.item.retriesLeft--;
              retrying.add(run.item);
              run.finish({ retryAfterMs: RETRY_MS });
            } else {
              finished.push(run.item.id);
              run.finish();
            }
          };
          const wait = async () => {
            for (const item of retrying) retrying.delete(item); // all due after RETRY_MS
            await clock.advance(RETRY_MS);
          };

          for (const next of steps) {
            if ('push' in next) {
              const item = {
                id: pushed.length,
                key: next.push,
                retriesLeft: retries[pushed.length],
              };
              pushed.push(item);
              queue.push(item.key, item);
            } else if ('finish' in next) {
              if (running.length > 0) finishRun(next.finish % running.length);
            } else await wait();
            await check();
          }
          // Drain: finish the oldest run, or let retries fall due, until nothing is left.
          while (finished.length < pushed.length) {
            if (running.length > 0) finishRun(0);
            else await wait();
            await check();
          }
          await queue.idle();

          // Each item finished once, after 1 + its retries runs.
          expect([...finished].sort((x, y) => x - y)).toEqual(pushed.map(({ id }) => id));
          expect(started.length).toBe(
            pushed.length + retries.slice(0, pushed.length).reduce((a, b) => a + b, 0),
          );
          // Per key, items ran in the order pushed, each one's retries before the next began.
          for (const key of new Set(pushed.map(({ key }) => key).filter(Boolean))) {
            const runs = started.filter((item) => item.key === key).map(({ id }) => id);
            const distinct = runs.filter((id, index) => index === 0 || runs[index - 1] !== id);
            expect(distinct).toEqual(pushed.filter((item) => item.key === key).map(({ id }) => id));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** An item's key, or the item itself when it has none (independent of all others). */
function keyOf(item: Item): unknown {
  return item.key ?? item;
}
