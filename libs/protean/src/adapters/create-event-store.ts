import type { ProteanConfig } from '../core/config/config.schema.js';
import { ConfigurationError } from '../core/config/configuration.error.js';
import type { Database } from '../ports/database/database.port.js';
import { postgresConnection } from './create-database.js';
import { samePostgresDatabase } from './postgresql/same-postgres-database.js';
import type { EventStore } from '../ports/event-store/event-store.port.js';
import { MemoryEventStore } from './memory/memory-event-store.js';
import { PostgresqlEventStore } from './postgresql/event-store/postgresql-event-store.js';

/** Connections of an event store kept in a database of its own. */
const OWN_POOL_SIZE = 5;

/**
 * The event store adapter for the `[event_store]` section. A `postgresql` store without a
 * `database_uri`, or with the one of `databases.default`, shares the default database's pool
 * (Protean's or the application's DataSource) and appends inside the units of work; elsewhere
 * it gets a pool of its own and appends after commit. Its table follows `databases.default`'s
 * `schema` and `table_prefix`, and its own pool that section's `idle_in_transaction_timeout_ms`.
 */
export function createEventStore(config: ProteanConfig, database: Database): EventStore {
  const store = config.event_store;
  switch (store.provider) {
    case 'memory':
      return new MemoryEventStore();
    case 'postgresql': {
      const uri = store.database_uri;
      if (
        database.sql &&
        (!uri || samePostgresDatabase(config.databases.default.database_uri, uri))
      ) {
        return new PostgresqlEventStore(database.sql, {
          joinsUnitOfWork: true,
          ownsConnection: false,
        });
      }
      if (!uri) throw eventStoreUriRequired();
      // databases.default's settings (tables, idle-in-transaction timeout) on the store's own URI.
      const pool = postgresConnection(
        'default',
        { ...config.databases.default, database_uri: uri },
        'protean:event_store',
        undefined,
        OWN_POOL_SIZE,
      );
      return new PostgresqlEventStore(pool, { joinsUnitOfWork: false, ownsConnection: true });
    }
  }
}

/** A `postgresql` event store with no database of its own and none to share. */
export function eventStoreUriRequired(): ConfigurationError {
  return new ConfigurationError(
    'event_store.database_uri',
    'required for provider "postgresql" unless databases.default is postgresql (then shared)',
  );
}
