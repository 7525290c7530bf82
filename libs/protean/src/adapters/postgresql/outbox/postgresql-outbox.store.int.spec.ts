import { createTestDatabase, type TestDatabase } from '../../../../../../test/support/postgres.js';
import { PROCESS_POLL } from '../../../../../../test/support/processes.js';
import { eventEnvelope, describeOutboxStoreContract, within } from 'nestjs-protean/testing';
import { databaseMigrations } from '../database/database.migrations.js';
import { PostgresqlDatabase } from '../database/postgresql-database.js';
import { PostgresTables } from '../../../core/config/postgres-tables.js';
import { migratePostgres } from '../schema/migrate-postgres.js';
import { PostgresConnection } from '../postgres-connection.js';
import { outboxMigrations } from './outbox.migrations.js';
import { PostgresqlOutboxStore } from './postgresql-outbox.store.js';
import { eventually } from '../../../operations/testing/eventually.js';

let testDatabase: TestDatabase;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  await migratePostgres(testDatabase.uri, [
    ...databaseMigrations(new PostgresTables()),
    ...outboxMigrations(new PostgresTables()),
  ]);
});

afterAll(() => testDatabase.drop());

function open() {
  const database = new PostgresqlDatabase(
    new PostgresConnection({ uri: testDatabase.uri, poolSize: 6 }),
  );
  return { database, store: new PostgresqlOutboxStore(database.sql) };
}

// Time passes for the rows: every timestamp moves back by `seconds`.
const elapse = async (seconds: number) => {
  await testDatabase.query(
    `UPDATE outbox SET created_at = created_at - make_interval(secs => $1),
       next_retry_at = next_retry_at - make_interval(secs => $1),
       locked_until = locked_until - make_interval(secs => $1),
       published_at = published_at - make_interval(secs => $1),
       last_attempt_at = last_attempt_at - make_interval(secs => $1)`,
    [seconds],
  );
};

describeOutboxStoreContract('postgresql', async () => {
  await testDatabase.query('TRUNCATE outbox');
  const { database, store } = open();
  return { database, store, elapse, close: () => database.close() };
});

describe('postgresql outbox store', () => {
  beforeEach(() => testDatabase.query('TRUNCATE outbox'));

  it('splits concurrent claims without overlap, and never splits a stream between claimers', async () => {
    const { database, store } = open();
    try {
      const envelopes = Array.from({ length: 400 }, (_, n) => eventEnvelope(`t::book-${n % 40}`));
      await database.transaction((session) => store.append(session, envelopes));

      const claims = await Promise.all(
        ['p1', 'p2', 'p3', 'p4'].map((owner) => store.claim(owner, 60, 30)),
      );
      const all = claims.flat();
      expect(new Set(all.map((message) => message.id)).size).toBe(all.length);
      for (const [index, claim] of claims.entries()) {
        for (const other of claims.slice(index + 1)) {
          const streams = new Set(claim.map((message) => message.stream));
          expect(other.filter((message) => streams.has(message.stream))).toEqual([]);
        }
      }
      // Each claimer got, per stream, the stream's oldest rows.
      for (const claim of claims) {
        for (const message of claim) {
          const earlier = envelopes.filter(
            (envelope) =>
              envelope.stream === message.stream &&
              envelopes.indexOf(envelope) < envelopes.findIndex((e) => e.id === message.messageId),
          );
          expect(earlier.every((envelope) => claim.some((m) => m.messageId === envelope.id))).toBe(
            true,
          );
        }
      }
    } finally {
      await database.close();
    }
  });

  it('claims and marks on its own connections while units of work hold every pooled one', async () => {
    const database = new PostgresqlDatabase(
      new PostgresConnection({ uri: testDatabase.uri, poolSize: 1 }),
    );
    const relay = new PostgresConnection({ uri: testDatabase.uri, poolSize: 1 });
    const store = new PostgresqlOutboxStore(database.sql, relay);
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    try {
      await database.transaction((session) => store.append(session, [eventEnvelope('t::b-1')]));
      let holding!: () => void;
      const isHolding = new Promise<void>((resolve) => (holding = resolve));
      const busy = database.transaction(async () => {
        holding();
        await held;
      });
      await isHolding;
      const what = 'the relay, not waiting for a pooled connection,';
      const claimed = await within(store.claim('p1', 10, 30), 5_000, what);
      expect(claimed).toHaveLength(1);
      await expect(within(store.markPublished('p1', [claimed[0].id]), 5_000, what)).resolves.toBe(
        1,
      );
      finish();
      await busy;
    } finally {
      finish();
      await store.close();
      await database.close();
    }
  });

  it('records next_retry_at as the attempt time plus the delay, in database time', async () => {
    const { database, store } = open();
    try {
      await database.transaction((session) => store.append(session, [eventEnvelope('t::b-1')]));
      const [claimed] = await store.claim('p1', 1, 30);
      await store.markFailed('p1', [
        { id: claimed.id, error: 'ECONNREFUSED', retryDelaySeconds: 2.5, abandon: false },
      ]);
      const [row] = await testDatabase.query(
        `SELECT status, retry_count, last_error,
                extract(epoch FROM next_retry_at - last_attempt_at)::float8 AS delay
         FROM outbox`,
      );
      expect(row).toEqual({
        status: 'failed',
        retry_count: 1,
        last_error: 'ECONNREFUSED',
        delay: 2.5,
      });
    } finally {
      await database.close();
    }
  });

  it('notifies watchers of other connections when rows commit, not before', async () => {
    const { database, store } = open();
    let notified = 0;
    const stop = await store.watch(() => (notified += 1));
    try {
      let commit!: () => void;
      const held = new Promise<void>((resolve) => (commit = resolve));
      let appended!: () => void;
      const wasAppended = new Promise<void>((resolve) => (appended = resolve));
      const transaction = database.transaction(async (session) => {
        await store.append(session, [eventEnvelope('t::b-1'), eventEnvelope('t::b-2')]);
        appended();
        await held;
      });
      await wasAppended;
      // A notification round trip on this connection proves none is queued yet.
      await database.sql.query(`SELECT pg_notify('unrelated', '')`);
      expect(notified).toBe(0);
      commit();
      await transaction;
      const deadline = Date.now() + 5_000;
      while (notified === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      expect(notified).toBe(1);
    } finally {
      await stop();
      await database.close();
    }
  });

  it('listens again after its connection drops, and wakes the watcher then', async () => {
    const { database, store } = open();
    let notified = 0;
    const stop = await store.watch(() => (notified += 1));
    try {
      const [{ killed }] = await testDatabase.query<{ killed: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS killed FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'protean-listener'`,
      );
      expect(killed).toBe(1);
      // Reconnected: the watcher is woken once, as notifications may have been missed.
      await eventually(() => notified === 1, {
        ...PROCESS_POLL,
        what: 'the listener to reconnect',
      });
      await database.transaction((session) => store.append(session, [eventEnvelope('t::b-9')]));
      await eventually(() => notified === 2, {
        ...PROCESS_POLL,
        what: 'a notification after reconnecting',
      });
    } finally {
      await stop();
      await database.close();
    }
  });
});
