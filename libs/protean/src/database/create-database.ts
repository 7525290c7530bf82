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
      return new PostgresqlDatabase(postgresConnection(config, `protean:${name}`));
  }
}

/**
 * A pool on a `postgresql` database section's server, with its settings: `pool_size` unless
 * `poolSize` is given, and `idle_in_transaction_timeout_ms` (default 30 s).
 */
export function postgresConnection(
  config: DatabaseConfig,
  applicationName: string,
  poolSize = config.pool_size,
): PostgresConnection {
  return new PostgresConnection({
    // The schema guarantees a URI for the postgresql provider.
    uri: config.database_uri!,
    poolSize,
    applicationName,
    idleInTransactionTimeoutMs: config.idle_in_transaction_timeout_ms ?? 30_000,
  });
}
