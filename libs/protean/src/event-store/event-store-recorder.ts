import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { UnitOfWorkManager } from '../domain/unit-of-work-manager.js';
import { EVENT_STORE } from '../protean.tokens.js';
import type { EventStore } from './event-store.port.js';

/** Appends every committed event to the event store, in commit order. */
@Injectable()
export class EventStoreRecorder implements OnModuleInit {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly units: UnitOfWorkManager,
  ) {}

  onModuleInit(): void {
    this.units.afterCommit(async (messages) => {
      const events = messages.filter((message) => message.kind === 'EVENT');
      if (events.length > 0) await this.eventStore.append(events);
    });
  }
}
