import { CreateEventStore1764400000002 } from './migrations/1764400000002-create-event-store.migration.js';

/** The migrations of the `postgresql` event store, oldest first. */
export const eventStoreMigrations = [CreateEventStore1764400000002];
