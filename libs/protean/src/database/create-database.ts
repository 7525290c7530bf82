import type { DatabaseConfig } from '../config/config.schema.js';
import { PostgresConnection } from '../postgresql/postgres-connection.js';
import type { Database } from './database.port.js';
import { MemoryDatabase } from './memory/memory-database.js';
import { PostgresqlDatabase } from './postgresql/postgresql-database.js';

/** The database adapter for a `[databases.<name>]` section. */
export function createDatabase(name: string, config: DatabaseConfig): Database {
  switch (config.provider) {
    case 'memory':
      return new MemoryDatabase();
    case 'postgresql':
      return new PostgresqlDatabase(
        new PostgresConnection({
          // The schema guarantees a URI for this provider.
          uri: config.database_uri!,
          poolSize: config.pool_size,
          applicationName: `protean:${name}`,
          idleInTransactionTimeoutMs: config.idle_in_transaction_timeout_ms ?? 30_000,
        }),
      );
  }
}
