/**
 * The outbox store port: messages written in the aggregates' transaction, then claimed,
 * published and marked by the outbox processor. Adapters: `memory` (with the memory database)
 * and `postgresql` (the `outbox` table, docs/outbox.md).
 *
 * Claiming follows one rule in every adapter: a row is claimed only when it is due and every
 * earlier unpublished row of its aggregate stream is claimed with it, so the rows of one
 * aggregate reach the broker in commit order. Abandoned rows no longer hold their stream back.
 */
import type { DatabaseSession } from '../database/database.port.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';

export const OUTBOX_STATUSES = [
  'pending',
  'processing',
  'published',
  'failed',
  'abandoned',
] as const;

/** `failed` waits for `next_retry_at`; `abandoned` gave up after the last attempt. */
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** A row leased to one processor for publishing. */
export interface ClaimedMessage {
  /** The row's id: increasing in write order. */
  readonly id: number;
  readonly messageId: string;
  /** The envelope's aggregate stream (`bookshelf::book-<id>`); the broker stream is its category. */
  readonly stream: string;
  /** The JSON envelope, exactly as `serializeEnvelope` writes it. */
  readonly data: string;
  /** Failed attempts so far. */
  readonly retryCount: number;
  /**
   * When the row was written, in ms since the epoch: its transaction's commit (memory), the
   * append statement just before that commit (`created_at`, postgresql) or, for a row leased
   * as it was appended, its commit as its writer saw it. The hop `commit_to_published` is timed from it.
   */
  readonly createdAt: number;
}

/** What to do with a row whose publishing failed. */
export interface FailedAttempt {
  readonly id: number;
  readonly error: string;
  /** Seconds until the next attempt (ignored when `abandon`). */
  readonly retryDelaySeconds: number;
  /** This was the last attempt: keep the row, with its error, as `abandoned`. */
  readonly abandon: boolean;
}

/** Counts for `outbox status` and health checks. */
export interface OutboxStats {
  readonly counts: Readonly<Record<OutboxStatus, number>>;
  /** Age of the oldest row not yet published nor abandoned, in seconds; `null` when none. */
  readonly oldestPendingAgeSeconds: number | null;
}

export interface OutboxCleanup {
  /** Published rows older than this many seconds (since publishing) are deleted. */
  readonly publishedRetentionSeconds: number;
  /** Abandoned rows older than this many seconds (since written) are deleted. */
  readonly abandonedRetentionSeconds: number;
  /** Rows deleted per statement, so a large cleanup never holds long locks. */
  readonly batchSize: number;
}

/** A lease taken on rows as they are written, by the process that will publish them. */
export interface OutboxLease {
  readonly owner: string;
  readonly seconds: number;
}

export interface OutboxStore {
  readonly provider: string;
  /**
   * Records messages in the unit of work's transaction: they exist only if it commits. With a
   * `lease`, each row whose earlier unpublished rows in its aggregate stream (mostly none) are
   * all leased to `lease.owner` is written already leased to it (as a claim would lease it)
   * and returned, for its writer to publish right after the commit, in commit order; the
   * others are written due, behind the earlier rows of their streams, and processors are told
   * of them. A store may lease none (the memory store,
   * whose relay runs in the writer's process anyway). Without a lease, returns nothing.
   */
  append(
    session: DatabaseSession,
    envelopes: readonly MessageEnvelope[],
    lease?: OutboxLease,
  ): Promise<ClaimedMessage[]>;
  /**
   * Leases up to `limit` due rows to `owner` for `leaseSeconds`, oldest first. Rows leased to
   * another owner are skipped until their lease expires, then taken over.
   */
  claim(owner: string, limit: number, leaseSeconds: number): Promise<ClaimedMessage[]>;
  /** Marks rows still leased to `owner` as published; resolves to how many. */
  markPublished(owner: string, ids: readonly number[]): Promise<number>;
  /** Records failed attempts of rows still leased to `owner`. */
  markFailed(owner: string, attempts: readonly FailedAttempt[]): Promise<void>;
  /** Hands rows still leased to `owner` back, unattempted, for a later claim. */
  release(owner: string, ids: readonly number[]): Promise<void>;
  stats(): Promise<OutboxStats>;
  /** Requeues every abandoned row as pending with no attempts; resolves to how many. */
  retryAbandoned(): Promise<number>;
  /**
   * Makes every row published at or after `since` pending again, to be published once more:
   * for a broker that lost messages it had accepted (a Redis restarted without persistence).
   * Safe because consumers deduplicate by message id (`processed_messages`). Resolves to how many.
   */
  republish(since: Date): Promise<number>;
  /** Deletes old published and abandoned rows, batch by batch; resolves to how many. */
  cleanup(options: OutboxCleanup): Promise<number>;
  /**
   * Calls `onAppended` when another process commits rows (PostgreSQL `LISTEN/NOTIFY`; the
   * memory store has no other process). Resolves once watching; the function returned stops.
   */
  watch(onAppended: () => void): Promise<() => Promise<void>>;
  /** Closes connections of the store's own, at application shutdown. */
  close(): Promise<void>;
}
