import { Inject, Injectable } from '@nestjs/common';
import type { DatabaseSession } from '../ports/database/database.port.js';
import type { MessageEnvelope } from '../core/messages/message-envelope.js';
import { EVENT_STORE } from '../core/protean.tokens.js';
import { EventStoreReaders } from './event-store-readers.js';
import type { EventStore } from '../ports/event-store/event-store.port.js';

/**
 * Appends committed events and async commands to the event store, in commit order; the
 * {@link DeliveryPolicy} calls it inside the unit of work's transaction when the store lives in
 * the same database (messages and aggregates commit together), otherwise right after the commit.
 *
 * Commands (only async commands are queued in a unit of work) are recorded so that handlers on
 * `event_store` subscriptions receive them — Protean's message store: Command → Message Store →
 * Server → Handler. They travel on streams of their own (`<domain>::<category>:command-<id>`),
 * so an aggregate's event stream holds only its events. A `memory` store is readable only in
 * its own process: there commands are recorded only while this process's engine reads the
 * event store ({@link EventStoreReaders}), so a producer-only API on a memory store does not keep every command for life.
 *
 * @see DeliveryPolicy (application/delivery-policy.ts)
 */
@Injectable()
export class EventStoreRecorder {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly readers: EventStoreReaders,
  ) {}

  /** Whether the store records inside the unit of work's transaction (same database). */
  get joinsUnitOfWork(): boolean {
    return this.eventStore.joinsUnitOfWork;
  }

  /** Appends what of `messages` the store keeps; with `session`, inside that transaction. */
  async record(messages: readonly MessageEnvelope[], session?: DatabaseSession): Promise<void> {
    const recorded = this.recordedOf(messages);
    if (recorded.length > 0) await this.eventStore.append(recorded, session);
  }

  private recordedOf(messages: readonly MessageEnvelope[]): MessageEnvelope[] {
    const commands = this.eventStore.provider !== 'memory' || this.readers.any;
    return messages.filter((message) => message.kind === 'EVENT' || commands);
  }
}
