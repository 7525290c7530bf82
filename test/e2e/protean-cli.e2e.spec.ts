import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { CLI_MAIN, runToExit } from '../support/processes.js';

/** Each CLI run boots Node and Nest (about a second and a half on two cores). */
const CLI_TEST_TIMEOUT_MS = 30_000;

describe('protean CLI (db setup, outbox status, outbox retry-abandoned)', () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runToExit(CLI_MAIN, args, env);

  beforeAll(async () => {
    db = await createTestDatabase();
    env = {
      PROTEAN_DATABASES__DEFAULT__PROVIDER: 'postgresql',
      PROTEAN_DATABASES__DEFAULT__DATABASE_URI: db.uri,
      PROTEAN_EVENT_STORE__PROVIDER: 'postgresql',
      PROTEAN_EVENT_STORE__DATABASE_URI: db.uri,
    };
  });

  afterAll(() => db.drop());

  it(
    'db setup creates every table once, by migrations',
    async () => {
      const first = await cli('db', 'setup');
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toContain(
        `127.0.0.1:5432/${db.name} (databases.default, event_store): applied`,
      );
      const tables = await db.query<{ name: string }>(
        `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
      );
      expect(tables.map((table) => table.name)).toEqual([
        'aggregates',
        'event_store',
        'outbox',
        'processed_messages',
        'projections',
        'protean_migrations',
      ]);

      const again = await cli('db', 'setup');
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('already up to date');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'outbox status counts rows by status; retry-abandoned requeues the abandoned ones',
    async () => {
      await db.query('TRUNCATE outbox');
      const insert = (status: string, retries: number) =>
        db.query(
          `INSERT INTO outbox (message_id, stream_name, type, kind, data, metadata, status, retry_count, last_error, created_at)
         VALUES ($1, 'bookshelf::book-1', 'bookshelf.BookAdded.v1', 'EVENT', '{}', '{}', $2, $3, 'boom', now() - interval '90 seconds')`,
          [randomUUID(), status, retries],
        );
      await insert('pending', 0);
      await insert('published', 0);
      await insert('abandoned', 3);
      await insert('abandoned', 3);

      const json = await cli('outbox', 'status', '--json');
      expect(json.code).toBe(0);
      const stats = JSON.parse(json.stdout);
      expect(stats.counts).toEqual({
        pending: 1,
        processing: 0,
        published: 1,
        failed: 0,
        abandoned: 2,
      });
      expect(stats.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(90);

      const text = await cli('outbox', 'status');
      expect(text.stdout).toMatch(/^abandoned\s+2$/m);
      expect(text.stdout).toMatch(/^oldest pending: \d+\.\d s$/m);

      const retried = await cli('outbox', 'retry-abandoned');
      expect(retried).toMatchObject({ code: 0 });
      expect(retried.stdout).toContain('Requeued 2 abandoned outbox row(s) as pending.');
      const rows = await db.query(
        `SELECT status, retry_count, count(*)::int AS n FROM outbox GROUP BY 1, 2 ORDER BY 1`,
      );
      expect(rows).toEqual([
        { status: 'pending', retry_count: 0, n: 3 },
        { status: 'published', retry_count: 0, n: 1 },
      ]);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'says in one line what is wrong, with no password, and exits non-zero',
    async () => {
      const unreachable = await runToExit(CLI_MAIN, ['outbox', 'status'], {
        ...env,
        PROTEAN_DATABASES__DEFAULT__DATABASE_URI: 'postgresql://app:hunter2@127.0.0.1:1/shop',
      });
      expect(unreachable.code).toBe(1);
      expect(unreachable.stderr).toMatch(
        /^error: PostgreSQL at 127\.0\.0\.1:1\/shop is unavailable/m,
      );
      expect(unreachable.stderr + unreachable.stdout).not.toContain('hunter2');

      const memory = await runToExit(CLI_MAIN, ['outbox', 'status'], {
        PROTEAN_DATABASES__DEFAULT__PROVIDER: 'memory',
      });
      expect(memory.code).toBe(1);
      expect(memory.stderr).toContain(
        'outbox commands need databases.default.provider = "postgresql"',
      );

      const invalid = await runToExit(CLI_MAIN, ['db', 'setup'], {
        PROTEAN_OUTBOX__TICK_INTERVAL: '-1',
      });
      expect(invalid.code).toBe(78);
      expect(invalid.stderr.trim()).toBe(
        'Invalid configuration: outbox.tick_interval = "-1": expected a number >= 0 (from PROTEAN_OUTBOX__TICK_INTERVAL)',
      );
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
