import { loadConfiguration } from '../../../core/config/load-configuration.js';
import { databaseMigrations } from '../database/database.migrations.js';
import { eventStoreMigrations } from '../event-store/event-store.migrations.js';
import { outboxMigrations } from '../outbox/outbox.migrations.js';
import type { MigrationClass } from './migration-class.js';
import { tablesOf } from '../../../core/config/postgres-tables.js';

export interface ProteanMigrationOptions {
  /** `databases.default.schema`: the PostgreSQL schema of Protean's tables; default `public`. */
  readonly schema?: string;
  /** `databases.default.table_prefix`; default none. */
  readonly tablePrefix?: string;
  /** Include the event store's table (for `event_store.provider = "postgresql"`); default true. */
  readonly eventStore?: boolean;
}

/**
 * Protean's migrations, for an application's own DataSource: add them to its `migrations`
 * (`migrations: [...proteanMigrations({ tablePrefix: 'protean_' }), …]`) and TypeORM runs them
 * with the application's, recorded in its migrations table. Give the same `schema` and
 * `tablePrefix` as the configuration. Invalid names fail like the configuration does, naming
 * the key.
 */
export function proteanMigrations(options: ProteanMigrationOptions = {}): MigrationClass[] {
  const config = loadConfiguration({
    embedded: true,
    settings: {
      databases: {
        default: {
          provider: 'postgresql',
          ...(options.schema !== undefined && { schema: options.schema }),
          ...(options.tablePrefix !== undefined && { tablePrefix: options.tablePrefix }),
        },
      },
    },
  });
  const tables = tablesOf(config.databases.default);
  return [
    ...databaseMigrations(tables),
    ...outboxMigrations(tables),
    ...(options.eventStore === false ? [] : eventStoreMigrations(tables)),
  ];
}
