import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { UnitOfWorkManager } from '../domain/unit-of-work-manager.js';
import type { MessageEnvelope } from '../messages/message-envelope.js';
import { EVENT_STORE } from '../protean.tokens.js';
import type { EventStore } from './event-store.port.js';

/**
 * What a unit of work records: its events, and its queued commands — only async commands are
 * queued — so that handlers on `event_store` subscriptions receive them (Protean's message
 * store: Command → Message Store → Server → Handler). Commands travel on streams of their own
 * (`<domain>::<category>:command-<id>`), so an aggregate's event stream holds only its events.
 */
const recordedOf = (messages: readonly MessageEnvelope[]) =>
  messages.filter((message) => message.kind === 'EVENT' || message.kind === 'COMMAND');

/**
 * Appends every committed event and async command to the event store, in commit order: inside
 * the unit of work's transaction when the store lives in the same database (messages and
 * aggregates commit together), otherwise right after the commit.
 */
@Injectable()
export class EventStoreRecorder implements OnModuleInit {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly units: UnitOfWorkManager,
  ) {}

  onModuleInit(): void {
    if (this.eventStore.joinsUnitOfWork) {
      this.units.beforeCommit(async (session, messages) => {
        const events = recordedOf(messages);
        if (events.length > 0) await this.eventStore.append(events, session);
      });
      return;
    }
    this.units.afterCommit(async (messages) => {
      const events = recordedOf(messages);
      if (events.length > 0) await this.eventStore.append(events);
    });
  }
}
