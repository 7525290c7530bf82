import type {
  DatabaseSession,
  SqlDatabase,
  SqlExecutor,
} from '../../../ports/database/database.port.js';
import type { MessageEnvelope } from '../../../core/messages/message-envelope.js';
import { kindOfStream } from '../../../core/messages/stream-names.js';
import type { PostgresTables } from '../../../core/config/postgres-tables.js';
import type { EventStore, StoredEvent } from '../../../ports/event-store/event-store.port.js';
import { ForeignSessionError } from '../foreign-session.error.js';

export interface PostgresqlEventStoreOptions {
  /** The store shares the aggregates' database and appends in their transaction. */
  readonly joinsUnitOfWork: boolean;
  /** Close the pool with the store (a pool of its own, not the database's). */
  readonly ownsConnection: boolean;
}

interface EventRow {
  global_position: string;
  stream_position: string;
  message_id: string;
  stream_name: string;
  type: string;
  data: Record<string, unknown>;
  metadata: MessageEnvelope['metadata'];
}

/** A per-stream lock namespace for `hashtextextended`, so our keys stay apart from others'. */
const STREAM_LOCK_SEED = 0x5045;

/** The store's statements on the `event_store` table of `tables`. */
const statementsOn = (tables: PostgresTables) => ({
  append: `
  INSERT INTO ${tables.eventStore} (stream_name, stream_position, message_id, type, data, metadata)
  SELECT e.stream,
         coalesce(last.position, 0) + row_number() OVER (PARTITION BY e.stream ORDER BY e.ord),
         e.id, e.type, e.data::jsonb, e.metadata::jsonb
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
       WITH ORDINALITY AS e(stream, id, type, data, metadata, ord)
  LEFT JOIN LATERAL (
    SELECT max(stream_position) AS position FROM ${tables.eventStore} s WHERE s.stream_name = e.stream
  ) last ON true
  ORDER BY e.ord`,

  /*
   * Rows of transactions still running are held back: a global position is taken at insert
   * but becomes visible at commit, so without this a reader could pass position 11
   * (committed) while 10 (still in flight) appears later behind it.
   */
  readAll: `
  SELECT global_position, stream_position, message_id, stream_name, type, data, metadata
  FROM ${tables.eventStore}
  WHERE global_position > $1 AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY global_position LIMIT $2`,
  readStream: `
  SELECT global_position, stream_position, message_id, stream_name, type, data, metadata
  FROM ${tables.eventStore} WHERE stream_name = $1 ORDER BY stream_position`,
});

/**
 * The `postgresql` event store: one row per event with a global position (a sequence: gaps
 * where transactions rolled back) and a per-stream position (unique, without gaps: appenders
 * of one stream are serialized by a transaction-scoped advisory lock on the stream).
 */
export class PostgresqlEventStore implements EventStore {
  readonly provider = 'postgresql';
  readonly joinsUnitOfWork: boolean;
  private readonly statements: ReturnType<typeof statementsOn>;

  constructor(
    private readonly pool: SqlDatabase & { close?(): Promise<void> },
    private readonly options: PostgresqlEventStoreOptions,
  ) {
    this.joinsUnitOfWork = options.joinsUnitOfWork;
    this.statements = statementsOn(pool.tables);
  }

  async append(envelopes: readonly MessageEnvelope[], session?: DatabaseSession): Promise<void> {
    if (envelopes.length === 0) return;
    if (session) {
      if (!session.sql) {
        throw new ForeignSessionError(
          'event store',
          'configure both on the same database, or let the store append after commit',
        );
      }
      await this.write(session.sql, envelopes);
      return;
    }
    await this.pool.transaction((sql) => this.write(sql, envelopes));
  }

  async readAll(afterPosition: number, limit: number): Promise<StoredEvent[]> {
    const rows = await this.pool.query<EventRow>(this.statements.readAll, [afterPosition, limit]);
    return rows.map(toStoredEvent);
  }

  async readStream(stream: string): Promise<StoredEvent[]> {
    const rows = await this.pool.query<EventRow>(this.statements.readStream, [stream]);
    return rows.map(toStoredEvent);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.options.ownsConnection) await this.pool.close?.();
  }

  private async write(sql: SqlExecutor, envelopes: readonly MessageEnvelope[]): Promise<void> {
    // Locks are taken in one sorted order, so two appenders of overlapping streams never deadlock.
    const streams = [...new Set(envelopes.map((envelope) => envelope.stream))];
    await sql.query(
      `SELECT pg_advisory_xact_lock(hashtextextended(s, ${STREAM_LOCK_SEED}))
       FROM unnest($1::text[]) AS s ORDER BY s`,
      [streams],
    );
    await sql.query(this.statements.append, [
      envelopes.map((envelope) => envelope.stream),
      envelopes.map((envelope) => envelope.id),
      envelopes.map((envelope) => envelope.type),
      envelopes.map((envelope) => JSON.stringify(envelope.payload)),
      envelopes.map((envelope) => JSON.stringify(envelope.metadata)),
    ]);
  }
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    globalPosition: Number(row.global_position),
    streamPosition: Number(row.stream_position),
    envelope: {
      id: row.message_id,
      type: row.type,
      stream: row.stream_name,
      kind: kindOfStream(row.stream_name),
      payload: row.data,
      metadata: row.metadata,
    },
  };
}
