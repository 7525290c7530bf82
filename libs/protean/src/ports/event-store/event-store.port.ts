import type { DatabaseSession } from '../database/database.port.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';

/** An event as kept by the event store, with its positions. */
export interface StoredEvent {
  /** Position over all streams, increasing; may have gaps (rolled-back writes). */
  readonly globalPosition: number;
  /** Position within its aggregate stream, from 1, without gaps. */
  readonly streamPosition: number;
  readonly envelope: MessageEnvelope;
}

/**
 * The event store port: every raised event, appended in commit order, readable by position
 * (for `event_store` subscriptions and replays) and by aggregate stream.
 */
export interface EventStore {
  readonly provider: string;
  /**
   * Whether appends join the unit of work's transaction: an event store kept in the same
   * database as the aggregates, so events and aggregates commit together. Otherwise events
   * are appended right after the unit of work commits.
   */
  readonly joinsUnitOfWork: boolean;
  /**
   * Appends events in order. With `session` (only when {@link joinsUnitOfWork}) the append is
   * part of that transaction; without, it is a transaction of its own.
   */
  append(envelopes: readonly MessageEnvelope[], session?: DatabaseSession): Promise<void>;
  /** Events after `position` over all streams, in order, at most `limit`. */
  readAll(afterPosition: number, limit: number): Promise<StoredEvent[]>;
  /** Events of one aggregate stream (`bookshelf::book-<id>`), in order. */
  readStream(stream: string): Promise<StoredEvent[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
