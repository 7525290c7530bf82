import type { ProteanConfig } from '../config/config.schema.js';
import type { Database } from '../database/database.port.js';
import { PostgresConnection } from '../postgresql/postgres-connection.js';
import { samePostgresDatabase } from '../postgresql/same-postgres-database.js';
import type { EventStore } from './event-store.port.js';
import { MemoryEventStore } from './memory/memory-event-store.js';
import { PostgresqlEventStore } from './postgresql/postgresql-event-store.js';

/** Connections of an event store kept in a database of its own. */
const OWN_POOL_SIZE = 5;

/**
 * The event store adapter for the `[event_store]` section. A `postgresql` store in the same
 * database as `databases.default` shares its pool and appends inside the units of work;
 * elsewhere it gets a pool of its own and appends after commit.
 */
export function createEventStore(config: ProteanConfig, database: Database): EventStore {
  const store = config.event_store;
  switch (store.provider) {
    case 'memory':
      return new MemoryEventStore();
    case 'postgresql': {
      const uri = store.database_uri!;
      if (database.sql && samePostgresDatabase(config.databases.default.database_uri, uri)) {
        return new PostgresqlEventStore(database.sql, {
          joinsUnitOfWork: true,
          ownsConnection: false,
        });
      }
      const pool = new PostgresConnection({
        uri,
        poolSize: OWN_POOL_SIZE,
        applicationName: 'protean:event_store',
      });
      return new PostgresqlEventStore(pool, { joinsUnitOfWork: false, ownsConnection: true });
    }
  }
}
