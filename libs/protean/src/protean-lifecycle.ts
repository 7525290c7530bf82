import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Database } from './database/database.port.js';
import type { EventStore } from './event-store/event-store.port.js';
import type { OutboxStore } from './outbox/outbox-store.port.js';
import { DATABASE, EVENT_STORE, OUTBOX_STORE } from './protean.tokens.js';

/** Closes connections last, after every `onModuleDestroy` drained the work that used them. */
@Injectable()
export class ProteanLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(OUTBOX_STORE) private readonly outbox: OutboxStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.eventStore.close(), this.outbox.close(), this.database.close()]);
  }
}
