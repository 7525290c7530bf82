import type {
  DatabaseSession,
  SqlDatabase,
  SqlExecutor,
} from '../../../ports/database/database.port.js';
import type { MessageEnvelope } from '../../../core/messages/message-envelope.js';
import { envelopeText } from '../../../ports/outbox/envelope-text.js';
import { ForeignSessionError } from '../foreign-session.error.js';
import {
  OUTBOX_STATUSES,
  type ClaimedMessage,
  type FailedAttempt,
  type OutboxCleanup,
  type OutboxLease,
  type OutboxStats,
  type OutboxStatus,
  type OutboxStore,
} from '../../../ports/outbox/outbox-store.port.js';
import { OUTBOX_CHANNEL, outboxStatements, type OutboxStatements } from './outbox.sql.js';

interface AppendedRow {
  id: string;
  message_id: string;
  status: 'pending' | 'processing';
}

interface ClaimedRow {
  id: string;
  message_id: string;
  stream_name: string;
  type: string;
  kind: string;
  retry_count: number;
  created_ms: number;
  payload_json: string;
  metadata_json: string;
}

/**
 * The `postgresql` outbox: the `outbox` table in the aggregates' database (in its schema, with
 * its prefix). Rows are written
 * through the unit of work's connection; claims and marks through `relay` — connections of
 * the relay's own, so that it is never queued behind the units of work of its process for a
 * pooled connection (each row crosses it, and a busy worker holds every pooled connection) —
 * and everything else through the shared pool.
 */
export class PostgresqlOutboxStore implements OutboxStore {
  readonly provider = 'postgresql';
  private readonly statements: OutboxStatements;

  /**
   * @param pool the aggregates' pool
   * @param relay connections for claims and marks, closed by {@link close}; the pool if absent
   */
  constructor(
    private readonly pool: SqlDatabase,
    private readonly relay?: SqlExecutor & { close(): Promise<void> },
  ) {
    this.statements = outboxStatements(pool.tables);
  }

  /** The connections for claims and marks. */
  private get relaySql(): SqlExecutor {
    return this.relay ?? this.pool;
  }

  /** Closes the relay's own connections (the shared pool is its owner's to close). */
  async close(): Promise<void> {
    await this.relay?.close();
  }

  async append(
    session: DatabaseSession,
    envelopes: readonly MessageEnvelope[],
    lease?: OutboxLease,
  ): Promise<ClaimedMessage[]> {
    if (envelopes.length === 0) return [];
    if (!session.sql) {
      throw new ForeignSessionError('outbox', 'the outbox always lives in databases.default');
    }
    const payloads = envelopes.map((envelope) => JSON.stringify(envelope.payload));
    const metadata = envelopes.map((envelope) => JSON.stringify(envelope.metadata));
    const rows = await session.sql.query<AppendedRow>(this.statements.append, [
      envelopes.map((envelope) => envelope.id),
      envelopes.map((envelope) => envelope.stream),
      envelopes.map((envelope) => envelope.type),
      envelopes.map((envelope) => envelope.kind),
      payloads,
      metadata,
      lease?.owner ?? null,
      lease?.seconds ?? 0,
    ]);
    if (!lease) return [];
    // The row ids of the rows written leased to this process, by message id.
    const leased = new Map(
      rows
        .filter((row) => row.status === 'processing')
        .map((row) => [row.message_id, Number(row.id)]),
    );
    const writtenAt = Date.now();
    return envelopes.flatMap((envelope, n) =>
      leased.has(envelope.id)
        ? [
            {
              id: leased.get(envelope.id)!,
              messageId: envelope.id,
              stream: envelope.stream,
              retryCount: 0,
              createdAt: writtenAt,
              data: envelopeText({
                id: envelope.id,
                type: envelope.type,
                stream: envelope.stream,
                kind: envelope.kind,
                payloadJson: payloads[n],
                metadataJson: metadata[n],
              }),
            },
          ]
        : [],
    );
  }

  async claim(owner: string, limit: number, leaseSeconds: number): Promise<ClaimedMessage[]> {
    const rows = await this.relaySql.query<ClaimedRow>(this.statements.claim, [
      limit,
      owner,
      leaseSeconds,
    ]);
    return rows
      .map((row) => ({
        id: Number(row.id),
        messageId: row.message_id,
        stream: row.stream_name,
        retryCount: row.retry_count,
        createdAt: row.created_ms,
        data: envelopeText({
          id: row.message_id,
          type: row.type,
          stream: row.stream_name,
          kind: row.kind,
          payloadJson: row.payload_json,
          metadataJson: row.metadata_json,
        }),
      }))
      .sort((a, b) => a.id - b.id);
  }

  async markPublished(owner: string, ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const [{ marked }] = await this.relaySql.query<{ marked: number }>(
      this.statements.markPublished,
      [ids, owner],
    );
    return marked;
  }

  async markFailed(owner: string, attempts: readonly FailedAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    await this.relaySql.execute(this.statements.markFailed, [
      attempts.map((attempt) => attempt.id),
      attempts.map((attempt) => attempt.retryDelaySeconds),
      attempts.map((attempt) => attempt.abandon),
      attempts.map((attempt) => attempt.error),
      owner,
    ]);
  }

  async release(owner: string, ids: readonly number[]): Promise<void> {
    if (ids.length > 0) await this.relaySql.execute(this.statements.release, [ids, owner]);
  }

  async stats(): Promise<OutboxStats> {
    const [rows, [oldest]] = await Promise.all([
      this.pool.query<{ status: OutboxStatus; count: number }>(this.statements.countByStatus),
      this.pool.query<{ age: number }>(this.statements.oldestPendingAge),
    ]);
    const counts = Object.fromEntries(OUTBOX_STATUSES.map((status) => [status, 0])) as Record<
      OutboxStatus,
      number
    >;
    for (const row of rows) counts[row.status] = row.count;
    return { counts, oldestPendingAgeSeconds: oldest ? Math.max(0, oldest.age) : null };
  }

  async retryAbandoned(): Promise<number> {
    const [{ count }] = await this.pool.query<{ count: number }>(this.statements.retryAbandoned);
    return count;
  }

  async republish(since: Date): Promise<number> {
    const [{ count }] = await this.pool.query<{ count: number }>(this.statements.republishSince, [
      since,
    ]);
    return count;
  }

  async cleanup(options: OutboxCleanup): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.pool.execute(this.statements.cleanupBatch, [
        options.publishedRetentionSeconds,
        options.abandonedRetentionSeconds,
        options.batchSize,
      ]);
      total += deleted;
      if (deleted < options.batchSize) return total;
    }
  }

  watch(onAppended: () => void): Promise<() => Promise<void>> {
    // After a reconnect notifications may have been missed: wake up and look.
    return this.pool.listen(OUTBOX_CHANNEL, onAppended, onAppended);
  }
}
