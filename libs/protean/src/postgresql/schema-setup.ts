import type { ProteanConfig } from '../config/config.schema.js';
import { databaseMigrations } from '../database/postgresql/database.migrations.js';
import { eventStoreMigrations } from '../event-store/postgresql/event-store.migrations.js';
import { outboxMigrations } from '../outbox/postgresql/outbox.migrations.js';
import { describePostgresTarget } from './describe-postgres-target.js';
import { migratePostgres, type MigrationClass } from './migrate-postgres.js';
import { samePostgresDatabase } from './same-postgres-database.js';

/** One PostgreSQL database and the migrations it needs. */
export interface SchemaTarget {
  /** What it holds, for messages: `databases.default`, `event_store`. */
  readonly roles: string[];
  readonly uri: string;
  readonly migrations: MigrationClass[];
}

/** The outcome of migrating one target. */
export interface SchemaSetupResult {
  readonly roles: string[];
  /** `host:port/name`, never the URI. */
  readonly target: string;
  readonly applied: string[];
}

/**
 * Which PostgreSQL databases the configuration uses and what each needs: the default database
 * gets the aggregates, read models, processed markers and the outbox; the event store's
 * database gets the event store (one target when both are the same database).
 */
export function schemaTargets(config: ProteanConfig): SchemaTarget[] {
  const targets: SchemaTarget[] = [];
  const database = config.databases.default;
  if (database.provider === 'postgresql' && database.database_uri) {
    targets.push({
      roles: ['databases.default'],
      uri: database.database_uri,
      migrations: [...databaseMigrations, ...outboxMigrations],
    });
  }
  const store = config.event_store;
  if (store.provider === 'postgresql' && store.database_uri) {
    const shared = targets.find((target) => samePostgresDatabase(target.uri, store.database_uri));
    if (shared) {
      shared.roles.push('event_store');
      shared.migrations.push(...eventStoreMigrations);
    } else {
      targets.push({
        roles: ['event_store'],
        uri: store.database_uri,
        migrations: [...eventStoreMigrations],
      });
    }
  }
  return targets;
}

/** Runs the migrations every configured PostgreSQL database still needs. */
export async function setupSchema(config: ProteanConfig): Promise<SchemaSetupResult[]> {
  const results: SchemaSetupResult[] = [];
  for (const target of schemaTargets(config)) {
    results.push({
      roles: target.roles,
      target: describePostgresTarget(target.uri),
      applied: await migratePostgres(target.uri, target.migrations),
    });
  }
  return results;
}
