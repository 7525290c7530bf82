import type { MigrationClass } from '../schema/migration-class.js';
import type { PostgresTables } from '../../../core/config/postgres-tables.js';
import { createDomainTables } from './migrations/1764400000000-create-domain-tables.migration.js';

/** The migrations of the `postgresql` database's own tables in `tables`, oldest first. */
export const databaseMigrations = (tables: PostgresTables): MigrationClass[] => [
  createDomainTables(tables),
];
