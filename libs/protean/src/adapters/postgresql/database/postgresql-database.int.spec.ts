import { createTestDatabase, type TestDatabase } from '../../../../../../test/support/postgres.js';
import { describeDatabaseContract } from 'nestjs-protean/testing';
import { DatabaseUnavailableError } from '../database-unavailable.error.js';
import { PostgresTables } from '../../../core/config/postgres-tables.js';
import { migratePostgres } from '../schema/migrate-postgres.js';
import { PostgresConnection } from '../postgres-connection.js';
import { SchemaMissingError } from '../schema/schema-missing.error.js';
import { databaseMigrations } from './database.migrations.js';
import { PostgresqlDatabase } from './postgresql-database.js';
import type { SqlExecutor } from '../../../ports/database/database.port.js';

let testDatabase: TestDatabase;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  await migratePostgres(testDatabase.uri, databaseMigrations(new PostgresTables()));
});

afterAll(() => testDatabase.drop());

const open = (uri: string) => new PostgresqlDatabase(new PostgresConnection({ uri, poolSize: 4 }));

describeDatabaseContract('postgresql', async () => {
  await testDatabase.query('TRUNCATE aggregates, projections, processed_messages');
  const database = open(testDatabase.uri);
  return { database, close: () => database.close() };
});

describe('postgresql database', () => {
  it('says to run `db setup` when the schema is missing', async () => {
    const bare = await createTestDatabase();
    const database = open(bare.uri);
    try {
      const failure = database.loadAggregate('book', 'b1');
      await expect(failure).rejects.toThrow(SchemaMissingError);
      await expect(failure).rejects.toThrow('create it with `npx protean db setup`');
    } finally {
      await database.close();
      await bare.drop();
    }
  });

  it('reports an unreachable server by host, port and name, never with the password', async () => {
    const database = open('postgresql://app:s3cret-pw@127.0.0.1:1/bookshelf');
    const failure = database.ping();
    await expect(failure).rejects.toThrow(DatabaseUnavailableError);
    await expect(failure).rejects.toThrow('PostgreSQL at 127.0.0.1:1/bookshelf is unavailable');
    await failure.catch((error: Error) => expect(error.message).not.toContain('s3cret-pw'));
    await database.close();
  });

  it('refuses a statement of a transaction that has ended, instead of running it on a pooled connection', async () => {
    const database = open(testDatabase.uri);
    try {
      let leaked!: SqlExecutor;
      await database.transaction(async (session) => void (leaked = session.sql!));
      await expect(leaked.query('SELECT 1 AS one')).rejects.toThrow(
        'Query runner already released',
      );
      // The same executor works while its transaction is open, errors translated as before.
      await database.transaction(async (session) => {
        await expect(session.sql!.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
        await expect(session.sql!.execute('UPDATE aggregates SET version = version')).resolves.toBe(
          0,
        );
      });
      await expect(
        database.transaction((session) => session.sql!.query('SELECT * FROM no_such_table')),
      ).rejects.toThrow(SchemaMissingError);
    } finally {
      await database.close();
    }
  });

  it('applies each migration once', async () => {
    await expect(
      migratePostgres(testDatabase.uri, databaseMigrations(new PostgresTables())),
    ).resolves.toEqual([]);
  });
});
