import type { DataSource } from 'typeorm';
import { DATABASE_DEFAULTS, type DatabaseConfig } from '../core/config/config.schema.js';
import { ConfigurationError } from '../core/config/configuration.error.js';
import { PostgresConnection } from './postgresql/postgres-connection.js';
import { tablesOf } from '../core/config/postgres-tables.js';
import type { Database } from '../ports/database/database.port.js';
import { MemoryDatabase } from './memory/memory-database.js';
import { PostgresqlDatabase } from './postgresql/database/postgresql-database.js';

/**
 * The database adapter for a `[databases.<name>]` section; on `dataSource`, the application's
 * own TypeORM DataSource, when one is given.
 */
export function createDatabase(
  name: string,
  config: DatabaseConfig,
  dataSource?: DataSource,
): Database {
  switch (config.provider) {
    case 'memory':
      if (dataSource) {
        throw new ConfigurationError(
          `databases.${name}.provider = "memory"`,
          'ProteanModule was given a dataSource: set provider = "postgresql" to use it',
        );
      }
      return new MemoryDatabase();
    case 'postgresql':
      return new PostgresqlDatabase(
        postgresConnection(name, config, `protean:${name}`, dataSource),
      );
  }
}

/**
 * The connection of a `postgresql` database section, with its tables (`schema`,
 * `table_prefix`): the application's DataSource when given, else a pool of Protean's own on
 * `database_uri` with the section's settings (`pool_size` unless `poolSize` is given,
 * `idle_in_transaction_timeout_ms`, default 30 s).
 */
export function postgresConnection(
  name: string,
  config: DatabaseConfig,
  applicationName: string,
  dataSource?: DataSource,
  poolSize = config.pool_size,
): PostgresConnection {
  const tables = tablesOf(config);
  if (dataSource) return new PostgresConnection({ dataSource, tables });
  if (!config.database_uri) {
    throw new ConfigurationError(
      `databases.${name}.database_uri`,
      'required for provider "postgresql", unless ProteanModule is given your TypeORM dataSource',
    );
  }
  return new PostgresConnection({
    uri: config.database_uri,
    poolSize,
    applicationName,
    idleInTransactionTimeoutMs:
      config.idle_in_transaction_timeout_ms ?? DATABASE_DEFAULTS.idle_in_transaction_timeout_ms,
    tables,
  });
}
