import { ConcurrencyError } from '../core/errors/concurrency.error.js';
import {
  AggregateLocks,
  HOT_FOR_MS,
  type Attempt,
  lockKeyOf,
  waitYourTurnIfHot,
} from '../model/aggregate-locks.js';
import { HotAggregateError } from '../model/hot-aggregate.error.js';
import { retryOnConflict } from './retry-on-conflict.js';

/**
 * A row with a version, written by many units of work at once the way PostgreSQL does it:
 * read the version, work a little, then write only if it is still the one read.
 */
class VersionedRow {
  version = 1;
  value = 0;
  conflicts = 0;

  async increment(attempt: Attempt): Promise<void> {
    waitYourTurnIfHot(attempt, 'book', 'b1'); // as a repository does before loading
    const read = this.version;
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (this.version !== read) {
      this.conflicts++;
      throw new ConcurrencyError('book', 'b1', read, this.version);
    }
    this.version++;
    this.value++;
  }
}

describe('retryOnConflict', () => {
  it('lets 200 concurrent writers of one aggregate all succeed, each exactly once', async () => {
    const row = new VersionedRow();
    const locks = new AggregateLocks();
    await Promise.all(
      Array.from({ length: 200 }, () =>
        retryOnConflict((attempt) => row.increment(attempt), locks, { budgetMs: 60_000 }),
      ),
    );
    expect(row.value).toBe(200);
    // All 200 read version 1 at once, so 199 lose the first race; after that the book is hot
    // and they take turns on its lock: a few more lost races, not hundreds per writer.
    expect(row.conflicts).toBeLessThan(220);
    expect(locks.size).toBe(0);
  });

  it('throws a conflict that repeats with nothing moving (an insert of an id that exists)', async () => {
    let tries = 0;
    const insert = async () => {
      tries++;
      throw new ConcurrencyError('book', 'b1', 0, 1);
    };
    await expect(
      retryOnConflict(insert, new AggregateLocks(), { budgetMs: 60_000 }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(tries).toBe(6);
  });

  it('throws other errors at once, untried again', async () => {
    let tries = 0;
    const failing = async () => {
      tries++;
      throw new Error('boom');
    };
    await expect(
      retryOnConflict(failing, new AggregateLocks(), { budgetMs: 60_000 }),
    ).rejects.toThrow('boom');
    expect(tries).toBe(1);
  });

  it('stops retrying when its signal aborts (shutdown), with the signal’s reason', async () => {
    const controller = new AbortController();
    let version = 1;
    const neverWins = async () => {
      throw new ConcurrencyError('book', 'b1', version, ++version);
    };
    const running = retryOnConflict(neverWins, new AggregateLocks(), {
      budgetMs: 60_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('shutdown')), 50);
    await expect(running).rejects.toThrow('shutdown');
  });
});

describe('AggregateLocks', () => {
  it('grants one key in request order, and other keys independently', async () => {
    const locks = new AggregateLocks();
    const order: string[] = [];
    const first = await locks.acquire('a');
    const second = locks.acquire('a').then((release) => (order.push('second'), release));
    const third = locks.acquire('a').then((release) => (order.push('third'), release));
    (await locks.acquire('b'))();
    order.push('b');
    first();
    (await second)();
    (await third)();
    expect(order).toEqual(['b', 'second', 'third']);
    expect(locks.size).toBe(0);
  });

  it('lets a waiter give up on abort without blocking those behind it', async () => {
    const locks = new AggregateLocks();
    const holder = await locks.acquire('a');
    const controller = new AbortController();
    const quitter = locks.acquire('a', controller.signal);
    const patient = locks.acquire('a');
    controller.abort(new Error('shutdown'));
    await expect(quitter).rejects.toThrow('shutdown');
    holder();
    (await patient)();
    expect(locks.size).toBe(0);
  });
});

describe('AggregateLocks hot aggregates', () => {
  it('keeps an aggregate hot for a while after its last conflict, then forgets it', () => {
    let now = 0;
    const locks = new AggregateLocks(() => now);
    locks.markHot('book\u0000b1');
    expect(locks.isHot('book\u0000b1')).toBe(true);
    expect(locks.isHot('book\u0000b2')).toBe(false);
    now += HOT_FOR_MS;
    expect(locks.isHot('book\u0000b1')).toBe(false);
  });

  it('stops a first attempt about to load a hot aggregate, never one holding a lock', async () => {
    const locks = new AggregateLocks();
    locks.markHot(lockKeyOf('book', 'b1'));
    const load = async (attempt?: Attempt) => waitYourTurnIfHot(attempt, 'book', 'b1');
    await expect(load({ locks, holding: undefined })).rejects.toBeInstanceOf(HotAggregateError);
    await expect(load({ locks, holding: lockKeyOf('book', 'b2') })).resolves.toBeUndefined();
    await expect(load()).resolves.toBeUndefined(); // outside any attempt: nothing to wait for
  });
});
