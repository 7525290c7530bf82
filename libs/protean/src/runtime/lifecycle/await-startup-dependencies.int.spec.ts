import { setTimeout as sleep } from 'node:timers/promises';
import {
  createTestDatabase,
  DATABASE_URL,
  type TestDatabase,
} from '../../../../../test/support/postgres.js';
import { SpawnedPostgres } from '../../../../../test/support/spawned-postgres.js';
import { ConfigurationError } from '../../core/config/configuration.error.js';
import { loadConfiguration } from '../../core/config/load-configuration.js';
import { setupSchema } from '../../adapters/postgresql/schema/schema-setup.js';
import { awaitStartupDependencies } from './await-startup-dependencies.js';
import { StartupTimeoutError } from './startup-timeout.error.js';

const configFor = (databaseUri: string, startupTimeoutSeconds = 30, autoMigrate = true) =>
  loadConfiguration({
    embedded: true,
    overrides: {
      databases: {
        default: {
          provider: 'postgresql',
          database_uri: databaseUri,
          startup_timeout_seconds: startupTimeoutSeconds,
          auto_migrate: autoMigrate,
        },
      },
    },
  });

/** Issue 12 §4: what a starting worker or API makes of its database. */
describe('awaitStartupDependencies on PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('startup_check');
  });

  afterAll(() => db.drop());

  it('with auto_migrate = false, names the keys and `db setup` when the schema is missing', async () => {
    const failure = awaitStartupDependencies(configFor(db.uri, 30, false));
    await expect(failure).rejects.toThrow(ConfigurationError);
    await expect(failure).rejects.toThrow(
      /^Invalid configuration: databases\.default\.database_uri: PostgreSQL at 127\.0\.0\.1:5432\/startup_check_\w+ lacks the Protean schema \(CreateDomainTables\d+, CreateOutbox\d+ not applied\) and databases\.default\.auto_migrate = false; run `npx protean db setup`$/,
    );
  });

  it('with auto_migrate = false, resolves once the schema is set up', async () => {
    await setupSchema(configFor(db.uri));
    await expect(awaitStartupDependencies(configFor(db.uri, 30, false))).resolves.toBeUndefined();
  });

  it('applies a missing schema itself by default, in one line naming what it applied', async () => {
    const fresh = await createTestDatabase('startup_migrate');
    try {
      const lines: string[] = [];
      await awaitStartupDependencies(configFor(fresh.uri), (line) => lines.push(line));
      expect(lines).toEqual([
        expect.stringMatching(
          /^PostgreSQL at 127\.0\.0\.1:5432\/startup_migrate_\w+ \(databases\.default\): applied CreateDomainTables\d+, .*CreateOutbox\d+/,
        ),
      ]);
      // Now up to date: a second start applies nothing and says nothing.
      const again: string[] = [];
      await awaitStartupDependencies(configFor(fresh.uri, 30, false), (line) => again.push(line));
      expect(again).toEqual([]);
      // Behind (as set up by a version without the outbox): upgraded.
      await fresh.query('DROP TABLE outbox');
      await fresh.query(`DELETE FROM protean_migrations WHERE name LIKE 'CreateOutbox%'`);
      await awaitStartupDependencies(configFor(fresh.uri), (line) => again.push(line));
      expect(again).toEqual([expect.stringMatching(/: applied CreateOutbox\d+$/)]);
    } finally {
      await fresh.drop();
    }
  });

  it('names the key and what to do when the database does not exist, without waiting', async () => {
    const url = new URL(DATABASE_URL);
    url.pathname = '/no_such_database_here';
    const started = Date.now();
    const failure = awaitStartupDependencies(configFor(url.toString()));
    await expect(failure).rejects.toThrow(ConfigurationError);
    await expect(failure).rejects.toThrow(
      /^Invalid configuration: databases\.default\.database_uri: PostgreSQL at 127\.0\.0\.1:5432\/no_such_database_here has no database "no_such_database_here" .*create it \(`createdb no_such_database_here`\); the next start creates the schema \(or `npx protean db setup` with auto_migrate = false\)$/,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('waits out an unreachable server for startup_timeout_seconds, then gives up naming the key', async () => {
    const lines: string[] = [];
    const started = Date.now();
    const failure = awaitStartupDependencies(
      configFor('postgresql://app:hunter2@127.0.0.1:1/shop', 1.5),
      (line) => lines.push(line),
    );
    await expect(failure).rejects.toThrow(StartupTimeoutError);
    await expect(failure).rejects.toThrow(
      /PostgreSQL at 127\.0\.0\.1:1\/shop is unavailable: .*ECONNREFUSED.*after waiting 1\.5 s: databases\.default\.startup_timeout_seconds/,
    );
    await expect(failure).rejects.not.toThrow('hunter2');
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1500);
    expect(waited).toBeLessThan(4000);
    expect(lines).toEqual([expect.stringMatching(/ECONNREFUSED.*waiting up to 1\.5 s for it$/)]);
  });

  it('goes on once a server that was down at start comes up within the timeout', async () => {
    const cluster = await SpawnedPostgres.start();
    try {
      const clusterDb = await cluster.createDatabase('startup_later');
      await setupSchema(configFor(clusterDb.uri));
      cluster.stop('immediate');
      const waiting = awaitStartupDependencies(configFor(clusterDb.uri, 60));
      // The outage lasts a while: long enough for several attempts to fail.
      await sleep(1500);
      await cluster.start();
      await expect(waiting).resolves.toBeUndefined();
    } finally {
      cluster.destroy();
    }
  }, 60_000);
});
