import type { Database } from '../ports/database/database.port.js';
import { PostgresConnection } from './postgresql/postgres-connection.js';
import { MemoryOutboxStore } from './memory/memory-outbox.store.js';
import type { OutboxStore } from '../ports/outbox/outbox-store.port.js';
import { PostgresqlOutboxStore } from './postgresql/outbox/postgresql-outbox.store.js';

/**
 * Connections of the relay's own: one claim and one batch being marked at a time. Opened on
 * first use, so a process that never relays (the API) never opens them.
 */
const RELAY_POOL_SIZE = 2;

/**
 * The outbox lives in the aggregates' database, so its rows commit in their transaction:
 * the `outbox` table on PostgreSQL (with a small pool of its own on the same server for the
 * relay, whether the database's pool is Protean's or the application's DataSource),
 * in-process rows on the memory database.
 */
export function createOutboxStore(database: Database): OutboxStore {
  if (!database.sql) return new MemoryOutboxStore();
  const relay =
    database.sql instanceof PostgresConnection
      ? database.sql.sibling(RELAY_POOL_SIZE, 'protean:outbox')
      : undefined;
  return new PostgresqlOutboxStore(database.sql, relay);
}
