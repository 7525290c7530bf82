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
});
