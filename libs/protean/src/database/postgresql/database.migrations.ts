import { CreateDomainTables1764400000000 } from './migrations/1764400000000-create-domain-tables.migration.js';

/** The migrations of the `postgresql` database's own tables, oldest first. */
export const databaseMigrations = [CreateDomainTables1764400000000];
