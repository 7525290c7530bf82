import type { DatabaseConfig } from '../config/config.schema.js';
import { ConfigurationError } from '../config/configuration.error.js';
import type { Database } from './database.port.js';
import { MemoryDatabase } from './memory/memory-database.js';

/** The database adapter for a `[databases.<name>]` section. */
export function createDatabase(name: string, config: DatabaseConfig): Database {
  switch (config.provider) {
    case 'memory':
      return new MemoryDatabase();
    default:
      throw new ConfigurationError(
        `databases.${name}.provider`,
        `provider "${config.provider}" is not available yet`,
      );
  }
}
