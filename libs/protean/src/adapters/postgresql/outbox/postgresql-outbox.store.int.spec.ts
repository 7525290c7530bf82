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

  describe('leasing rows as they are appended (publish after commit)', () => {
    const lease = { owner: 'writer', seconds: 30 };
    const statuses = () =>
      testDatabase.query<{ stream_name: string; status: string; locked_by: string | null }>(
        'SELECT stream_name, status, locked_by FROM outbox ORDER BY id',
      );

    it('leases the first unpublished rows of their streams to the writer, and notifies no processor of them', async () => {
      const { database, store } = open();
      const notified: string[] = [];
      const stop = await store.watch(() => notified.push('woken'));
      try {
        const envelopes = [
          eventEnvelope('t::book-1'),
          eventEnvelope('t::book-1'),
          eventEnvelope('t::book-2'),
        ];
        const leased = await database.transaction((session) =>
          store.append(session, envelopes, lease),
        );
        // Every row, in write order, with the envelope text a claim would give.
        const claimedLater = await testDatabase.query<{ id: string }>(
          'SELECT id FROM outbox ORDER BY id',
        );
        expect(leased.map((row) => row.id)).toEqual(claimedLater.map((row) => Number(row.id)));
        expect(leased.map((row) => row.messageId)).toEqual(envelopes.map((e) => e.id));
        expect(leased.map((row) => (JSON.parse(row.data) as { id: string }).id)).toEqual(
          envelopes.map((e) => e.id),
        );
        expect(await statuses()).toEqual(
          ['t::book-1', 't::book-1', 't::book-2'].map((stream_name) => ({
            stream_name,
            status: 'processing',
            locked_by: 'writer',
          })),
        );
        // Nobody else may claim them while the lease holds; the writer marks them.
        await expect(store.claim('relay', 10, 30)).resolves.toEqual([]);
        await expect(
          store.markPublished(
            'writer',
            leased.map((row) => row.id),
          ),
        ).resolves.toBe(3);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(notified).toEqual([]);
      } finally {
        await stop();
        await database.close();
      }
    });

    it('writes a row behind an earlier unpublished row of another owner due, wakes processors, and the claim keeps the order', async () => {
      const { database, store } = open();
      const notified: string[] = [];
      const stop = await store.watch(() => notified.push('woken'));
      try {
        const first = eventEnvelope('t::book-1');
        await database.transaction((session) => store.append(session, [first]));
        const [earlier] = await store.claim('other', 10, 30);
        const behind = await database.transaction((session) =>
          store.append(session, [eventEnvelope('t::book-1'), eventEnvelope('t::book-2')], lease),
        );
        expect(behind.map((row) => row.stream)).toEqual(['t::book-2']);
        expect((await statuses()).map((row) => row.status)).toEqual([
          'processing',
          'pending',
          'processing',
        ]);
        await eventually(() => notified.length > 0, { ...PROCESS_POLL, what: 'a notification' });
        // Held behind the earlier row until it is published; then it is claimed.
        await expect(store.claim('relay', 10, 30)).resolves.toEqual([]);
        await store.markPublished('other', [earlier.id]);
        const [claimed] = await store.claim('relay', 10, 30);
        expect(claimed.stream).toBe('t::book-1');
      } finally {
        await stop();
        await database.close();
      }
    });

    it('leases a row behind rows leased to the same writer, never behind an expired lease or a failed row', async () => {
      const { database, store } = open();
      try {
        const append = (stream: string) =>
          database.transaction((session) => store.append(session, [eventEnvelope(stream)], lease));
        await append('t::book-1');
        await expect(append('t::book-1')).resolves.toHaveLength(1);
        // An expired lease is any processor's: what comes behind it waits for the claim.
        await elapse(31);
        await expect(append('t::book-1')).resolves.toEqual([]);
        const claimed = await store.claim('relay', 10, 30);
        expect(claimed).toHaveLength(3);
        await store.markFailed(
          'relay',
          claimed.map((row) => ({ id: row.id, error: 'x', retryDelaySeconds: 60, abandon: false })),
        );
        await expect(append('t::book-1')).resolves.toEqual([]);
      } finally {
        await database.close();
      }
    });

    it('wakes processors when marking rows published that a due row of their stream waits behind', async () => {
      const { database, store } = open();
      const notified: string[] = [];
      const stop = await store.watch(() => notified.push('woken'));
      try {
        const [leased] = await database.transaction((session) =>
          store.append(session, [eventEnvelope('t::book-1')], lease),
        );
        await database.transaction((session) =>
          store.append(session, [eventEnvelope('t::book-1')]),
        );
        await eventually(() => notified.length === 1, {
          ...PROCESS_POLL,
          what: 'the append notified',
        });
        await store.markPublished('writer', [leased.id]);
        await eventually(() => notified.length === 2, {
          ...PROCESS_POLL,
          what: 'the mark notified',
        });
      } finally {
        await stop();
        await database.close();
      }
    });
  });

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
