import { ConcurrencyError } from '../../core/errors/concurrency.error.js';
import { AlreadyProcessedError } from '../../core/errors/already-processed.error.js';
import type { Database, DatabaseSession } from '../../ports/database/database.port.js';

/** What a contract run needs: a fresh, empty database, and how to let go of it. */
export interface DatabaseUnderTest {
  readonly database: Database;
  close(): Promise<void>;
}

/** A promise and the function that resolves it, to hold a transaction open at a chosen point. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * The behaviour every database adapter must show, run against `memory` (unit suite) and
 * `postgresql` (integration suite). Concurrency races are forced with gates, not timing.
 */
export function describeDatabaseContract(
  provider: string,
  open: () => Promise<DatabaseUnderTest>,
): void {
  describe(`database contract: ${provider}`, () => {
    let subject: DatabaseUnderTest;
    let db: Database;

    beforeEach(async () => {
      subject = await open();
      db = subject.database;
    });

    afterEach(() => subject.close());

    const save = (id: string, state: Record<string, unknown>, expected: number) =>
      db.transaction((session) => session.saveAggregate('book', id, state, expected));

    it('names its provider', () => {
      expect(db.provider).toBe(provider);
    });

    it('inserts an aggregate at version 1 and bumps the version on each update', async () => {
      await expect(save('b1', { title: 'Dune', tags: ['sf'], stock: { n: 3 } }, 0)).resolves.toBe(
        1,
      );
      await expect(save('b1', { title: 'Dune II' }, 1)).resolves.toBe(2);
      await expect(db.loadAggregate('book', 'b1')).resolves.toEqual({
        version: 2,
        state: { title: 'Dune II' },
      });
      await expect(db.loadAggregate('book', 'missing')).resolves.toBeUndefined();
      await expect(db.loadAggregate('order', 'b1')).resolves.toBeUndefined();
    });

    it('refuses a stale version and an insert of an existing id with ConcurrencyError', async () => {
      await save('b2', { n: 1 }, 0);
      await save('b2', { n: 2 }, 1);
      await expect(save('b2', { n: 3 }, 1)).rejects.toThrow(ConcurrencyError);
      await expect(save('b2', { n: 3 }, 0)).rejects.toThrow(ConcurrencyError);
      // The conflict names the version it expected and the one it found: whether others moved.
      await expect(save('b2', { n: 3 }, 1)).rejects.toMatchObject({
        category: 'book',
        id: 'b2',
        expectedVersion: 1,
        foundVersion: 2,
      });
      await expect(save('b2', { n: 3 }, 0)).rejects.toMatchObject({
        expectedVersion: 0,
        foundVersion: 2,
      });
      await expect(db.loadAggregate('book', 'b2')).resolves.toEqual({
        version: 2,
        state: { n: 2 },
      });
    });

    it.each([
      ['inserts of one id', 0],
      ['updates of one version', 1],
    ])('lets exactly one of two concurrent %s commit', async (_what, expected) => {
      if (expected > 0) await save('b3', { writer: 'setup' }, 0);
      const first = gate();
      const saved = gate();
      const one = db.transaction(async (session) => {
        await session.saveAggregate('book', 'b3', { writer: 'one' }, expected);
        saved.open();
        await first.opened;
      });
      await saved.opened;
      const two = db.transaction((session) =>
        session.saveAggregate('book', 'b3', { writer: 'two' }, expected),
      );
      first.open();
      const outcomes = await Promise.allSettled([one, two]);

      const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(failed).toHaveLength(1);
      expect(failed[0].reason).toBeInstanceOf(ConcurrencyError);
      const winner = outcomes[0].status === 'fulfilled' ? 'one' : 'two';
      await expect(db.loadAggregate('book', 'b3')).resolves.toEqual({
        version: expected + 1,
        state: { writer: winner },
      });
    });

    it.each([
      ['inserts of a new read-model document', null],
      ['updates of a read-model document', { id: 'p1', status: 'PLACED' }],
    ])(
      'lets exactly one of two %s that read the same state commit (compare-and-swap)',
      async (_what, expected) => {
        if (expected) await db.transaction((session) => session.putProjection('orders', expected));
        const first = gate();
        const written = gate();
        const one = db.transaction(async (session) => {
          await session.putProjection('orders', { id: 'p1', status: 'CONFIRMED' }, expected);
          written.open();
          await first.opened;
        });
        await written.opened;
        const two = db.transaction((session) =>
          session.putProjection('orders', { id: 'p1', status: 'OLD' }, expected),
        );
        first.open();
        const outcomes = await Promise.allSettled([one, two]);

        const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
        expect(failed).toHaveLength(1);
        expect(failed[0].reason).toBeInstanceOf(ConcurrencyError);
        const winner = outcomes[0].status === 'fulfilled' ? 'CONFIRMED' : 'OLD';
        await expect(db.getProjection('orders', 'p1')).resolves.toEqual({
          id: 'p1',
          status: winner,
        });
        // A write that expects what is stored goes through; a stale one does not.
        await db.transaction((session) =>
          session.putProjection(
            'orders',
            { id: 'p1', status: 'NEXT' },
            { id: 'p1', status: winner },
          ),
        );
        await expect(
          db.transaction((session) =>
            session.putProjection(
              'orders',
              { id: 'p1', status: 'STALE' },
              { id: 'p1', status: winner },
            ),
          ),
        ).rejects.toThrow(ConcurrencyError);
      },
    );

    it('rolls back every write of a transaction that throws', async () => {
      const committed: string[] = [];
      await expect(
        db.transaction(async (session) => {
          await session.saveAggregate('book', 'b4', { n: 1 }, 0);
          await session.putProjection('catalog', { id: 'b4', title: 'Dune' });
          await session.markProcessed('Projector', 'm4');
          session.onCommit(() => committed.push('b4'));
          throw new Error('handler failed');
        }),
      ).rejects.toThrow('handler failed');

      await expect(db.loadAggregate('book', 'b4')).resolves.toBeUndefined();
      await expect(db.getProjection('catalog', 'b4')).resolves.toBeUndefined();
      expect(committed).toEqual([]);
      await expect(
        db.transaction((session) => session.markProcessed('Projector', 'm4')),
      ).resolves.toBe(true);
    });

    it('runs commit actions after the commit, in order', async () => {
      const seen: string[] = [];
      await db.transaction(async (session) => {
        await session.saveAggregate('book', 'b5', { n: 1 }, 0);
        session.onCommit(() => seen.push('first'));
        session.onCommit(() => seen.push('second'));
        expect(seen).toEqual([]);
      });
      expect(seen).toEqual(['first', 'second']);
    });

    it('runs afterCommit once committed, waits for what it returns, and never after a rollback', async () => {
      const seen: string[] = [];
      const slowAfterCommit = async () => {
        await new Promise((next) => setImmediate(next));
        seen.push('after commit, awaited');
      };
      await expect(
        db.transaction(
          async (session) => {
            await session.saveAggregate('book', 'b7', { n: 1 }, 0);
            session.onCommit(() => seen.push('commit action'));
            return 'done';
          },
          { afterCommit: slowAfterCommit },
        ),
      ).resolves.toBe('done');
      expect(seen).toEqual(['commit action', 'after commit, awaited']);

      // An afterCommit with nothing to wait for returns nothing.
      const returnsNothing = () => void seen.push('after commit, nothing to wait for');
      await expect(
        db.transaction(async () => 'also done', { afterCommit: returnsNothing }),
      ).resolves.toBe('also done');
      expect(seen.at(-1)).toBe('after commit, nothing to wait for');

      await expect(
        db.transaction(
          async () => {
            throw new Error('rolled back');
          },
          { afterCommit: () => void seen.push('must not run') },
        ),
      ).rejects.toThrow('rolled back');
      expect(seen).not.toContain('must not run');
    });

    it('shows a transaction its own writes before they commit', async () => {
      await db.transaction(async (session: DatabaseSession) => {
        await session.saveAggregate('book', 'b6', { n: 1 }, 0);
        await session.putProjection('catalog', { id: 'b6', n: 1 });
        await expect(session.loadAggregate('book', 'b6')).resolves.toEqual({
          version: 1,
          state: { n: 1 },
        });
        await expect(session.getProjection('catalog', 'b6')).resolves.toEqual({ id: 'b6', n: 1 });
        await expect(session.listProjections('catalog')).resolves.toEqual([{ id: 'b6', n: 1 }]);
        await session.deleteProjection('catalog', 'b6');
        await expect(session.getProjection('catalog', 'b6')).resolves.toBeUndefined();
      });
    });

    it('lists read models in first-written order, pages them, and keeps the order on update', async () => {
      await db.transaction(async (session) => {
        for (const id of ['c', 'a', 'b']) await session.putProjection('catalog', { id, v: 1 });
        await session.putProjection('other', { id: 'x' });
      });
      await db.transaction((session) => session.putProjection('catalog', { id: 'c', v: 2 }));

      await expect(db.listProjections('catalog')).resolves.toEqual([
        { id: 'c', v: 2 },
        { id: 'a', v: 1 },
        { id: 'b', v: 1 },
      ]);
      await expect(db.listProjections('catalog', { limit: 1, offset: 1 })).resolves.toEqual([
        { id: 'a', v: 1 },
      ]);
      await db.transaction((session) => session.deleteProjection('catalog', 'a'));
      await expect(db.listProjections('catalog')).resolves.toEqual([
        { id: 'c', v: 2 },
        { id: 'b', v: 1 },
      ]);
      await expect(db.listProjections('empty')).resolves.toEqual([]);
    });

    it('records a processed message once: later deliveries get false', async () => {
      const mark = () => db.transaction((session) => session.markProcessed('Projector', 'm1'));
      await expect(mark()).resolves.toBe(true);
      await expect(mark()).resolves.toBe(false);
      await expect(
        db.transaction((session) => session.markProcessed('OtherHandler', 'm1')),
      ).resolves.toBe(true);
      await expect(
        db.transaction(async (session) => [
          await session.markProcessed('Projector', 'm2'),
          await session.markProcessed('Projector', 'm2'),
        ]),
      ).resolves.toEqual([true, false]);
    });

    it('records many processed messages at once, as one by one would', async () => {
      await db.transaction((session) => session.markProcessed('Batcher', 'b1'));
      await expect(
        db.transaction((session) =>
          session.markEachProcessed('Batcher', ['b0', 'b1', 'b2', 'b0', 'b3']),
        ),
      ).resolves.toEqual([true, false, true, false, true]);
      await expect(
        db.transaction(async (session) => [
          await session.markProcessed('Batcher', 'b2'),
          await session.markEachProcessed('Batcher', []),
          await session.markEachProcessed('OtherBatcher', ['b2']),
        ]),
      ).resolves.toEqual([false, [], [true]]);
      // Rolled back with the rest of its transaction.
      await expect(
        db.transaction(async (session) => {
          await session.markEachProcessed('Batcher', ['b4', 'b5']);
          throw new Error('handler failed');
        }),
      ).rejects.toThrow('handler failed');
      await expect(
        db.transaction((session) => session.markEachProcessed('Batcher', ['b5', 'b4'])),
      ).resolves.toEqual([true, true]);
    });

    it('lets exactly one of two racing deliveries of a message commit its effects', async () => {
      const first = gate();
      const marked = gate();
      const deliver = (writer: string, hold?: Promise<void>) =>
        db.transaction(async (session) => {
          if (!(await session.markProcessed('Projector', 'm3'))) return 'skipped';
          marked.open();
          await hold;
          await session.putProjection('effects', { id: writer });
          return 'applied';
        });
      const one = deliver('one', first.opened);
      await marked.opened;
      const two = deliver('two');
      first.open();
      const outcomes = await Promise.allSettled([one, two]);

      // PostgreSQL makes the second wait and answers false; memory fails it at commit.
      const applied = outcomes.filter((o) => o.status === 'fulfilled' && o.value === 'applied');
      expect(applied).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') {
          expect(outcome.reason).toBeInstanceOf(AlreadyProcessedError);
        }
      }
      await expect(db.listProjections('effects')).resolves.toHaveLength(1);
    });

    it('answers ping', async () => {
      await expect(db.ping()).resolves.toBeUndefined();
    });
  });
}
