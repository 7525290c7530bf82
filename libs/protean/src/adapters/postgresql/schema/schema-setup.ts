import type { DataSource } from 'typeorm';
import type { ProteanConfig } from '../../../core/config/config.schema.js';
import { postgresConnection } from '../../create-database.js';
import { databaseMigrations } from '../database/database.migrations.js';
import { eventStoreUriRequired } from '../../create-event-store.js';
import { eventStoreMigrations } from '../event-store/event-store.migrations.js';
import { outboxMigrations } from '../outbox/outbox.migrations.js';
import { runMigrations } from './migrate-postgres.js';
import type { MigrationClass } from './migration-class.js';
import { PostgresConnection } from '../postgres-connection.js';
import { tablesOf } from '../../../core/config/postgres-tables.js';
import { samePostgresDatabase } from '../same-postgres-database.js';

/** One PostgreSQL database and the migrations it needs. */
export interface SchemaTarget {
  /** What it holds, for messages: `databases.default`, `event_store`. */
  readonly roles: string[];
  /** Its URI, when it has one (absent: the application's DataSource). */
  readonly uri?: string;
  readonly migrations: MigrationClass[];
  /** A connection to run them on (closed by the caller; an application's DataSource stays open). */
  open(): PostgresConnection;
}

/** The outcome of migrating one target. */
export interface SchemaSetupResult {
  readonly roles: string[];
  /** `host:port/name`, never the URI. */
  readonly target: string;
  readonly applied: string[];
}

export interface SchemaSetupOptions {
  /** The application's TypeORM DataSource, for `databases.default` (instead of its URI). */
  readonly dataSource?: DataSource;
}

/**
 * Which PostgreSQL databases the configuration uses and what each needs: the default database
 * gets the aggregates, read models, processed markers and the outbox; the event store's
 * database gets the event store (one target when both are the same database). Every table
 * goes in `databases.default`'s `schema`, named with its `table_prefix`.
 */
export function schemaTargets(
  config: ProteanConfig,
  options: SchemaSetupOptions = {},
): SchemaTarget[] {
  const targets: SchemaTarget[] = [];
  const database = config.databases.default;
  const tables = tablesOf(database);
  if (database.provider === 'postgresql') {
    targets.push({
      roles: ['databases.default'],
      uri: database.database_uri,
      migrations: [...databaseMigrations(tables), ...outboxMigrations(tables)],
      open: () =>
        postgresConnection('default', database, 'protean-migrations', options.dataSource, 1),
    });
  }
  const store = config.event_store;
  if (store.provider === 'postgresql') {
    const uri = store.database_uri;
    const shared = targets.find((target) => !uri || samePostgresDatabase(target.uri, uri));
    if (shared) {
      shared.roles.push('event_store');
      shared.migrations.push(...eventStoreMigrations(tables));
    } else if (uri) {
      targets.push({
        roles: ['event_store'],
        uri,
        migrations: eventStoreMigrations(tables),
        open: () =>
          new PostgresConnection({
            uri,
            poolSize: 1,
            applicationName: 'protean-migrations',
            tables,
          }),
      });
    } else {
      throw eventStoreUriRequired();
    }
  }
  return targets;
}

/**
 * Runs the migrations every configured PostgreSQL database still needs: `npx protean db
 * setup`, or an application's start-up on its own DataSource.
 */
export async function setupSchema(
  config: ProteanConfig,
  options: SchemaSetupOptions = {},
): Promise<SchemaSetupResult[]> {
  const results: SchemaSetupResult[] = [];
  for (const target of schemaTargets(config, options)) {
    const connection = target.open();
    try {
      results.push({
        roles: target.roles,
        target: connection.target,
        applied: await runMigrations(connection, target.migrations),
      });
    } finally {
      await connection.close();
    }
  }
  return results;
}

/** The one line a process that migrated at start logs. */
export function migratedLine(
  target: string,
  roles: readonly string[],
  applied: readonly string[],
): string {
  return `PostgreSQL at ${target} (${roles.join(', ')}): applied ${applied.join(', ')}`;
}
