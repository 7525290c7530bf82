import type { MigrationClass } from '../schema/migration-class.js';
import type { PostgresTables } from '../../../core/config/postgres-tables.js';
import { createEventStore } from './migrations/1764400000002-create-event-store.migration.js';

/** The migrations of the `postgresql` event store in `tables`, oldest first. */
export const eventStoreMigrations = (tables: PostgresTables): MigrationClass[] => [
  createEventStore(tables),
];
