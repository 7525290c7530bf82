import { Socket } from 'node:net';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/postgres.js';
import { PostgresConnection } from './postgres-connection.js';

describe('postgres connection', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.query('CREATE TABLE rows (id int PRIMARY KEY, n int NOT NULL)');
    await db.query('INSERT INTO rows VALUES (1, 0)');
  });

  afterAll(() => db.drop());

  it('has the server end a transaction left idle (a frozen process), releasing its locks', async () => {
    const frozen = new PostgresConnection({
      uri: db.uri,
      poolSize: 1,
      idleInTransactionTimeoutMs: 300,
    });
    const other = new PostgresConnection({ uri: db.uri, poolSize: 1 });
    try {
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => (locked = resolve));
      const stuck = frozen.transaction(async (sql) => {
        await sql.execute('UPDATE rows SET n = n + 1 WHERE id = 1');
        locked();
        // Idle in transaction, holding the row lock, as a paused worker would.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        await sql.execute('UPDATE rows SET n = n + 1 WHERE id = 1');
      });
      await holding;
      const started = Date.now();
      await expect(
        other.transaction((sql) => sql.execute('UPDATE rows SET n = n + 10 WHERE id = 1')),
      ).resolves.toBe(1);
      expect(Date.now() - started).toBeLessThan(1_500);
      await expect(stuck).rejects.toThrow();
      await expect(db.query('SELECT n FROM rows')).resolves.toEqual([{ n: 10 }]);
    } finally {
      await Promise.all([frozen.close(), other.close()]);
    }
  });

  describe('a transaction of its own pool (START TRANSACTION sent with its first statement)', () => {
    let own: PostgresConnection;

    beforeAll(async () => {
      own = new PostgresConnection({ uri: db.uri, poolSize: 2 });
      await db.query('CREATE TABLE items (id int PRIMARY KEY)');
    });

    afterAll(() => own.close());

    const items = async () =>
      (await db.query<{ id: number }>('SELECT id FROM items ORDER BY id')).map(({ id }) => id);

    it('commits its statements together, and none of them when it fails', async () => {
      await own.transaction(async (sql) => {
        await sql.execute('INSERT INTO items VALUES (1)');
        await sql.execute('INSERT INTO items VALUES (2)');
      });
      await expect(
        own.transaction(async (sql) => {
          await sql.execute('INSERT INTO items VALUES (3)');
          await sql.execute('INSERT INTO items VALUES (1)'); // a duplicate key: it fails
        }),
      ).rejects.toThrow();
      await expect(
        own.transaction(async (sql) => {
          await sql.execute('INSERT INTO items VALUES (4)');
          throw new Error('the handler failed');
        }),
      ).rejects.toThrow('the handler failed');
      expect(await items()).toEqual([1, 2]);
    });

    it('sends START TRANSACTION and its first statement in one write, the commit in another', async () => {
      await own.transaction((sql) => sql.execute('SELECT 1')); // the pool's connection opened
      const port = Number(new URL(db.uri).port || 5432);
      // Every write the client makes to the server: one per call of the socket's own writers.
      const writes: string[] = [];
      const socket = Socket.prototype as unknown as Record<string, (...args: unknown[]) => void>;
      const originals = ['_write', '_writev'].map((method) => [method, socket[method]] as const);
      for (const [method, original] of originals) {
        socket[method] = function (this: Socket, ...args: unknown[]) {
          if (this.remotePort === port) writes.push(method);
          return original.apply(this, args);
        };
      }
      try {
        await own.transaction((sql) => sql.execute('INSERT INTO items VALUES (20)'));
      } finally {
        for (const [method, original] of originals) socket[method] = original;
        await db.query('DELETE FROM items WHERE id = 20');
      }
      expect(writes).toHaveLength(2);
    });

    it("nests an EntityManager's transaction inside it as a savepoint, never committing it early", async () => {
      await expect(
        own.transaction(async (sql) => {
          await sql.execute('INSERT INTO items VALUES (10)');
          await sql.entityManager.transaction((manager) =>
            manager.query('INSERT INTO items VALUES (11)'),
          );
          throw new Error('the outer work failed after the inner committed');
        }),
      ).rejects.toThrow('the outer work failed');
      expect(await items()).toEqual([1, 2]);
    });
  });
});
