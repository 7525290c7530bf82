import type { Database } from '../database/database.port.js';
import { MemoryOutboxStore } from './memory/memory-outbox.store.js';
import type { OutboxStore } from './outbox-store.port.js';
import { PostgresqlOutboxStore } from './postgresql/postgresql-outbox.store.js';

/**
 * The outbox lives in the aggregates' database, so its rows commit in their transaction:
 * the `outbox` table on PostgreSQL, in-process rows on the memory database.
 */
export function createOutboxStore(database: Database): OutboxStore {
  return database.sql ? new PostgresqlOutboxStore(database.sql) : new MemoryOutboxStore();
}
