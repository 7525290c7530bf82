import { createTestDatabase, type TestDatabase } from '../../../../../../test/support/postgres.js';
import { PROCESS_POLL } from '../../../../../../test/support/processes.js';
import { describeEventStoreContract, eventEnvelope } from 'nestjs-protean/testing';
import { loadConfiguration } from '../../../core/config/load-configuration.js';
import { databaseMigrations } from '../database/database.migrations.js';
import { createDatabase } from '../../create-database.js';
import type { SqlDatabase } from '../../../ports/database/database.port.js';
import { PostgresTables } from '../../../core/config/postgres-tables.js';
import { migratePostgres } from '../schema/migrate-postgres.js';
import { PostgresConnection } from '../postgres-connection.js';
import { createEventStore } from '../../create-event-store.js';
import { eventStoreMigrations } from './event-store.migrations.js';
import { PostgresqlEventStore } from './postgresql-event-store.js';
import { eventually } from '../../../operations/testing/eventually.js';

let testDatabase: TestDatabase;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  await migratePostgres(testDatabase.uri, [
    ...databaseMigrations(new PostgresTables()),
    ...eventStoreMigrations(new PostgresTables()),
  ]);
});

afterAll(() => testDatabase.drop());

function openStore() {
  const pool = new PostgresConnection({ uri: testDatabase.uri, poolSize: 4 });
  return new PostgresqlEventStore(pool, { joinsUnitOfWork: false, ownsConnection: true });
}

describeEventStoreContract('postgresql', async () => {
  await testDatabase.query('TRUNCATE event_store');
  const store = openStore();
  return { store, close: () => store.close() };
});

describe('postgresql event store', () => {
  beforeEach(() => testDatabase.query('TRUNCATE event_store, aggregates'));

  it('holds back events of a transaction still in flight from readAll, so none is passed over', async () => {
    const store = openStore();
    const database = createDatabase('default', {
      provider: 'postgresql',
      database_uri: testDatabase.uri,
      pool_size: 4,
      schema: 'public',
      table_prefix: '',
      auto_migrate: false,
    });
    const early = eventEnvelope('test::slow-1');
    const late = eventEnvelope('test::fast-1');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let appended!: () => void;
    const earlyAppended = new Promise<void>((resolve) => (appended = resolve));
    try {
      const slow = database.transaction(async (session) => {
        await store.append([early], session);
        appended();
        await held;
      });
      await earlyAppended;
      await store.append([late]);

      // `late` is committed, but `early` holds a lower position and has not committed yet.
      await expect(store.readAll(0, 10)).resolves.toEqual([]);
      release();
      await slow;
      // Visible once no older transaction of the (shared) cluster is in flight.
      const all = await eventually(
        async () => {
          const events = await store.readAll(0, 10);
          return events.length === 2 ? events : undefined;
        },
        { ...PROCESS_POLL, what: 'both events visible to readAll' },
      );
      expect(all.map((event) => event.envelope.id)).toEqual([early.id, late.id]);
    } finally {
      release();
      await store.close();
      await database.close();
    }
  });

  it('joins the units of work when it shares the default database, and appends after commit otherwise', async () => {
    const other = await createTestDatabase();
    const config = (eventStoreUri: string) =>
      loadConfiguration({
        embedded: true,
        overrides: {
          databases: { default: { provider: 'postgresql', database_uri: testDatabase.uri } },
          event_store: { provider: 'postgresql', database_uri: eventStoreUri },
        },
      });
    const shared = config(testDatabase.uri);
    const database = createDatabase('default', shared.databases.default);
    const sameStore = createEventStore(shared, database);
    const separateStore = createEventStore(config(other.uri), database);
    try {
      expect(sameStore.joinsUnitOfWork).toBe(true);
      expect(separateStore.joinsUnitOfWork).toBe(false);

      const event = eventEnvelope('test::book-1');
      await database.transaction(async (session) => {
        await session.saveAggregate('book', '1', { n: 1 }, 0);
        await sameStore.append([event], session);
      });
      // One transaction wrote both rows: the event carries the aggregate row's transaction id.
      const [row] = await testDatabase.query<{ same: boolean }>(
        `SELECT e.transaction_id::text = a.xmin::text AS same
         FROM event_store e, aggregates a WHERE e.message_id = $1 AND a.id = '1'`,
        [event.id],
      );
      expect(row.same).toBe(true);

      await expect(
        database.transaction(async (session) => {
          await sameStore.append([eventEnvelope('test::book-2')], session);
          throw new Error('unit of work failed');
        }),
      ).rejects.toThrow('unit of work failed');
      await expect(sameStore.readStream('test::book-2')).resolves.toEqual([]);
    } finally {
      await sameStore.close();
      await separateStore.close();
      await database.close();
      await other.drop();
    }
  });

  it("opens a pool of its own with databases.default's idle-in-transaction timeout", async () => {
    const other = await createTestDatabase();
    const config = loadConfiguration({
      embedded: true,
      overrides: {
        databases: {
          default: {
            provider: 'postgresql',
            database_uri: testDatabase.uri,
            idle_in_transaction_timeout_ms: 1234,
          },
        },
        event_store: { provider: 'postgresql', database_uri: other.uri },
      },
    });
    const database = createDatabase('default', config.databases.default);
    const store = createEventStore(config, database);
    try {
      const { pool } = store as unknown as { pool: SqlDatabase };
      await expect(pool.query('SHOW idle_in_transaction_session_timeout')).resolves.toEqual([
        { idle_in_transaction_session_timeout: '1234ms' },
      ]);
    } finally {
      await store.close();
      await database.close();
      await other.drop();
    }
  });
});
