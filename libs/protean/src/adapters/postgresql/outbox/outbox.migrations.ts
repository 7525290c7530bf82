import type { MigrationClass } from '../schema/migration-class.js';
import type { PostgresTables } from '../../../core/config/postgres-tables.js';
import { createOutbox } from './migrations/1764400000001-create-outbox.migration.js';

/** The migrations of the `postgresql` outbox in `tables`, oldest first. */
export const outboxMigrations = (tables: PostgresTables): MigrationClass[] => [
  createOutbox(tables),
];
