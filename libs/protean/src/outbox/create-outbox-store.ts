import type { DatabaseConfig } from '../config/config.schema.js';
import type { Database } from '../database/database.port.js';
import { postgresConnection } from '../database/create-database.js';
import { MemoryOutboxStore } from './memory/memory-outbox.store.js';
import type { OutboxStore } from './outbox-store.port.js';
import { PostgresqlOutboxStore } from './postgresql/postgresql-outbox.store.js';

/**
 * Connections of the relay's own: one claim and one batch being marked at a time. Opened on
 * first use, so a process that never relays (the API) never opens them.
 */
const RELAY_POOL_SIZE = 2;

/**
 * The outbox lives in the aggregates' database, so its rows commit in their transaction:
 * the `outbox` table on PostgreSQL, in-process rows on the memory database.
 */
export function createOutboxStore(database: Database, settings?: DatabaseConfig): OutboxStore {
  if (!database.sql) return new MemoryOutboxStore();
  const relay = settings?.database_uri
    ? postgresConnection(settings, 'protean:outbox', RELAY_POOL_SIZE)
    : undefined;
  return new PostgresqlOutboxStore(database.sql, relay);
}
