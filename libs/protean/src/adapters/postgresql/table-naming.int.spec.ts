import { Test, type TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { CaptureLogger } from '../../../../../test/support/capture-logger.js';
import { BumpHandler, Counter, Counters } from '../../../../../test/support/counter-domain.js';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/postgres.js';
import { ConfigurationError } from '../../core/config/configuration.error.js';
import type { ProteanSettings } from '../../core/config/protean-settings.js';
import type { OutboxStore } from '../../ports/outbox/outbox-store.port.js';
import { ProteanModule } from '../../runtime/protean.module.js';
import type { ProteanModuleOptions } from '../../runtime/protean.module-definition.js';
import { OUTBOX_STORE } from '../../core/protean.tokens.js';
import { setupSchema } from './schema/schema-setup.js';
import { loadConfiguration } from '../../core/config/load-configuration.js';

const OWN_TABLES = [
  'aggregates',
  'event_store',
  'outbox',
  'processed_messages',
  'projections',
  'protean_migrations',
];

let db: TestDatabase;
const apps: TestingModule[] = [];
let appDataSource: DataSource;

function settings(prefix: string, databaseUri?: string): ProteanSettings {
  return {
    enableOutbox: true,
    eventProcessing: 'async',
    databases: {
      default: { provider: 'postgresql', databaseUri, schema: 'tenant', tablePrefix: prefix },
    },
    eventStore: { provider: 'postgresql' },
  };
}

async function start(options: Omit<ProteanModuleOptions, 'domain'>): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ProteanModule.forRoot({ domain: 'naming', configSources: { embedded: true }, ...options }),
      ProteanModule.forFeature({ aggregates: [Counter] }),
    ],
    providers: [BumpHandler, Counters],
  })
    .setLogger(new CaptureLogger())
    .compile();
  apps.push(moduleRef);
  return moduleRef.init();
}

beforeAll(async () => {
  db = await createTestDatabase();
  appDataSource = await new DataSource({ type: 'postgres', url: db.uri }).initialize();
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await appDataSource?.destroy();
  await db?.drop();
});

describe('databases.default.schema and table_prefix', () => {
  it('put every table in the schema with the prefix; a second prefix in the same database does not collide', async () => {
    // One module on a pool of its own, one on an application's DataSource: both migrate on start.
    const first = await start({ settings: settings('a_', db.uri), runMigrations: true });
    const second = await start({
      settings: settings('b_'),
      dataSource: appDataSource,
      runMigrations: true,
    });

    const tables = await db.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    expect(tables).toEqual(
      ['a_', 'b_'].flatMap((prefix) =>
        OWN_TABLES.map((table) => ({ schema: 'tenant', name: `${prefix}${table}` })),
      ),
    );
    const indexes = await db.query<{ name: string }>(
      `SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'tenant' AND indexname LIKE '%unpublished%' ORDER BY 1`,
    );
    expect(indexes.map((index) => index.name)).toEqual([
      'a_outbox_unpublished_idx',
      'a_outbox_unpublished_stream_idx',
      'b_outbox_unpublished_idx',
      'b_outbox_unpublished_stream_idx',
    ]);

    // The same aggregate id in both: each module writes its own tables only.
    await first.get(Counters).bump('c1', 2);
    await second.get(Counters).bump('c1', 1);
    for (const [app, prefix, events] of [
      [first, 'a_', 2],
      [second, 'b_', 1],
    ] as const) {
      // Published right after the commit, or still waiting: the rows are in this module's table.
      const { counts } = await app.get<OutboxStore>(OUTBOX_STORE).stats();
      expect(counts.pending + counts.processing + counts.published).toBe(events);
      await expect(
        db.query(`SELECT state->>'value' AS value FROM tenant.${prefix}aggregates`),
      ).resolves.toEqual([{ value: String(events) }]);
      await expect(
        db.query(`SELECT count(*)::int AS n FROM tenant.${prefix}event_store`),
      ).resolves.toEqual([{ n: events }]);
    }
  });

  it('records migrations per prefix, so setting up again applies nothing', async () => {
    const config = loadConfiguration({ embedded: true, settings: settings('a_', db.uri) });
    await expect(setupSchema(config)).resolves.toEqual([
      expect.objectContaining({ roles: ['databases.default', 'event_store'], applied: [] }),
    ]);
    await expect(
      db.query(`SELECT name FROM tenant.b_protean_migrations ORDER BY id`),
    ).resolves.toEqual([
      { name: 'CreateDomainTables1764400000000' },
      { name: 'CreateOutbox1764400000001' },
      { name: 'CreateEventStore1764400000002' },
    ]);
  });

  it('refuses an identifier that is not a plain name, naming the key', async () => {
    const failure = start({
      settings: { databases: { default: { provider: 'postgresql', schema: 'tenant"; DROP' } } },
      dataSource: appDataSource,
    });
    await expect(failure).rejects.toThrow(ConfigurationError);
    await expect(failure).rejects.toThrow(
      'databases.default.schema = "tenant\\"; DROP": expected a PostgreSQL identifier',
    );
  });
});

/** Issue 14 §5: an application's own module migrates as the apps do, unless told otherwise. */
describe('ProteanModule migrations at start: runMigrations and databases.default.auto_migrate', () => {
  const migrated = async (prefix: string) =>
    (
      await db.query<{ t: string | null }>(`SELECT to_regclass($1) AS t`, [
        `tenant.${prefix}protean_migrations`,
      ])
    )[0].t !== null;
  const withAutoMigrate = (prefix: string, autoMigrate?: boolean): ProteanSettings => {
    const base = settings(prefix, db.uri);
    return {
      ...base,
      databases: { default: { ...base.databases!.default!, autoMigrate } },
    };
  };

  it('migrates by default (auto_migrate true, runMigrations unset)', async () => {
    await start({ settings: withAutoMigrate('auto_') });
    expect(await migrated('auto_')).toBe(true);
  });

  it('leaves the schema alone with auto_migrate = false', async () => {
    await start({ settings: withAutoMigrate('manual_', false) });
    expect(await migrated('manual_')).toBe(false);
  });

  it('runMigrations wins over the key, either way', async () => {
    await start({ settings: withAutoMigrate('forced_', false), runMigrations: true });
    expect(await migrated('forced_')).toBe(true);
    await start({ settings: withAutoMigrate('never_'), runMigrations: false });
    expect(await migrated('never_')).toBe(false);
  });

  it('starts under a role that may use the tables but create nothing, once the schema is up to date', async () => {
    const base = settings('least_', db.uri);
    await setupSchema(loadConfiguration({ embedded: true, settings: base }));
    const role = `protean_runtime_${db.name}`.slice(0, 63);
    await db.query(`CREATE ROLE ${role} LOGIN`);
    try {
      await db.query(`REVOKE CREATE ON SCHEMA tenant, public FROM PUBLIC`);
      await db.query(`GRANT USAGE ON SCHEMA tenant TO ${role}`);
      await db.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tenant TO ${role}`,
      );
      await db.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA tenant TO ${role}`);
      const url = new URL(db.uri);
      url.username = role;
      url.password = '';
      const runtime = {
        ...base,
        databases: { default: { ...base.databases!.default!, databaseUri: url.toString() } },
      };
      const app = await start({ settings: runtime });
      await app.close();
      apps.splice(apps.indexOf(app), 1);
    } finally {
      await db.query(`DROP OWNED BY ${role}`);
      await db.query(`DROP ROLE ${role}`);
    }
  });
});
