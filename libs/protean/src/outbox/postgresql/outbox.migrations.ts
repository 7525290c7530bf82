import { CreateOutbox1764400000001 } from './migrations/1764400000001-create-outbox.migration.js';

/** The migrations of the `postgresql` outbox, oldest first. */
export const outboxMigrations = [CreateOutbox1764400000001];
