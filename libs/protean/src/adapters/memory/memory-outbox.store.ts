import type { DatabaseSession } from '../../ports/database/database.port.js';
import { serializeEnvelope } from '../../core/messages/envelope-codec.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';
import {
  OUTBOX_STATUSES,
  type ClaimedMessage,
  type FailedAttempt,
  type OutboxCleanup,
  type OutboxStats,
  type OutboxStatus,
  type OutboxStore,
} from '../../ports/outbox/outbox-store.port.js';

interface MemoryOutboxRow {
  readonly id: number;
  readonly messageId: string;
  readonly stream: string;
  readonly data: string;
  readonly createdAt: number;
  status: OutboxStatus;
  retryCount: number;
  nextRetryAt: number;
  lockedUntil?: number;
  lockedBy?: string;
  lastError?: string;
  publishedAt?: number;
}

const UNPUBLISHED: ReadonlySet<OutboxStatus> = new Set(['pending', 'processing', 'failed']);

/**
 * The `memory` outbox, for the memory database: rows join the memory transaction through
 * `onCommit`, so a rolled-back unit of work leaves none. Same claiming rules as PostgreSQL.
 */
export class MemoryOutboxStore implements OutboxStore {
  readonly provider = 'memory';
  private readonly rows = new Map<number, MemoryOutboxRow>();
  private lastId = 0;

  /** `clock` gives the time in ms; tests may move it. */
  constructor(private readonly clock: () => number = Date.now) {}

  /**
   * Leases no row, whatever the lease asked: the memory relay runs in the writer's process and
   * claims in microseconds, so every row is written due.
   */
  async append(session: DatabaseSession, envelopes: readonly MessageEnvelope[]): Promise<[]> {
    const written = envelopes.map((envelope) => ({
      messageId: envelope.id,
      stream: envelope.stream,
      data: serializeEnvelope(envelope),
    }));
    session.onCommit(() => {
      const now = this.clock();
      for (const row of written) {
        const id = ++this.lastId;
        this.rows.set(id, {
          ...row,
          id,
          createdAt: now,
          status: 'pending',
          retryCount: 0,
          nextRetryAt: now,
        });
      }
    });
    return [];
  }

  async claim(owner: string, limit: number, leaseSeconds: number): Promise<ClaimedMessage[]> {
    const now = this.clock();
    const blocked = new Set<string>();
    const claimed: ClaimedMessage[] = [];
    for (const row of this.rows.values()) {
      if (claimed.length >= limit) break;
      if (!UNPUBLISHED.has(row.status) || blocked.has(row.stream)) continue;
      if (!isDue(row, now)) {
        blocked.add(row.stream);
        continue;
      }
      Object.assign(row, {
        status: 'processing',
        lockedBy: owner,
        lockedUntil: now + leaseSeconds * 1000,
      });
      const { id, messageId, stream, data, retryCount, createdAt } = row;
      claimed.push({ id, messageId, stream, data, retryCount, createdAt });
    }
    return claimed;
  }

  async markPublished(owner: string, ids: readonly number[]): Promise<number> {
    const now = this.clock();
    let marked = 0;
    for (const row of this.leased(owner, ids)) {
      Object.assign(row, { status: 'published', publishedAt: now });
      unlock(row);
      marked += 1;
    }
    return marked;
  }

  async markFailed(owner: string, attempts: readonly FailedAttempt[]): Promise<void> {
    const now = this.clock();
    const byId = new Map(attempts.map((attempt) => [attempt.id, attempt]));
    for (const row of this.leased(owner, [...byId.keys()])) {
      const attempt = byId.get(row.id)!;
      row.status = attempt.abandon ? 'abandoned' : 'failed';
      row.retryCount += 1;
      row.nextRetryAt = attempt.abandon ? now : now + attempt.retryDelaySeconds * 1000;
      row.lastError = attempt.error;
      unlock(row);
    }
  }

  async release(owner: string, ids: readonly number[]): Promise<void> {
    for (const row of this.leased(owner, ids)) {
      row.status = row.retryCount > 0 ? 'failed' : 'pending';
      unlock(row);
    }
  }

  async stats(): Promise<OutboxStats> {
    const counts = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<
      OutboxStatus,
      number
    >;
    let oldest: number | undefined;
    for (const row of this.rows.values()) {
      counts[row.status] += 1;
      if (UNPUBLISHED.has(row.status)) oldest = Math.min(oldest ?? row.createdAt, row.createdAt);
    }
    const age = oldest === undefined ? null : Math.max(0, (this.clock() - oldest) / 1000);
    return { counts, oldestPendingAgeSeconds: age };
  }

  async retryAbandoned(): Promise<number> {
    let requeued = 0;
    for (const row of this.rows.values()) {
      if (row.status !== 'abandoned') continue;
      Object.assign(row, { status: 'pending', retryCount: 0, nextRetryAt: this.clock() });
      requeued += 1;
    }
    return requeued;
  }

  async republish(since: Date): Promise<number> {
    let requeued = 0;
    for (const row of this.rows.values()) {
      if (row.status !== 'published' || row.publishedAt! < since.getTime()) continue;
      Object.assign(row, { status: 'pending', retryCount: 0, nextRetryAt: this.clock() });
      row.publishedAt = undefined;
      requeued += 1;
    }
    return requeued;
  }

  async cleanup(options: OutboxCleanup): Promise<number> {
    const now = this.clock();
    let deleted = 0;
    for (const row of [...this.rows.values()]) {
      const expired =
        (row.status === 'published' &&
          row.publishedAt! < now - options.publishedRetentionSeconds * 1000) ||
        (row.status === 'abandoned' &&
          row.createdAt < now - options.abandonedRetentionSeconds * 1000);
      if (expired && this.rows.delete(row.id)) deleted += 1;
    }
    return deleted;
  }

  async watch(): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  async close(): Promise<void> {}

  private *leased(owner: string, ids: readonly number[]): Iterable<MemoryOutboxRow> {
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row?.status === 'processing' && row.lockedBy === owner) yield row;
    }
  }
}

function isDue(row: MemoryOutboxRow, now: number): boolean {
  return row.status === 'processing' ? row.lockedUntil! < now : row.nextRetryAt <= now;
}

function unlock(row: MemoryOutboxRow): void {
  row.lockedBy = undefined;
  row.lockedUntil = undefined;
}
