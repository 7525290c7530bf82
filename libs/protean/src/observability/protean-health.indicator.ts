import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { Database } from '../database/database.port.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { DATABASE, EVENT_STORE } from '../protean.tokens.js';

const PROBE_TIMEOUT_MS = 2000;

/**
 * Terminus health indicators for what Protean connects to. Readiness turns down as soon as
 * shutdown begins, so a load balancer stops sending work before connections close.
 */
@Injectable()
export class ProteanHealthIndicator implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  /** Down once shutdown has started. */
  checkAccepting(): HealthIndicatorResult<'lifecycle'> {
    const session = this.health.check('lifecycle');
    return this.shuttingDown ? session.down({ message: 'shutting down' }) : session.up();
  }

  checkDatabase(): PromiseLike<HealthIndicatorResult<'database'>> {
    return this.health
      .check('database')
      .attempt(async () => {
        await this.database.ping();
        return { provider: this.database.provider };
      })
      .withTimeout(PROBE_TIMEOUT_MS);
  }

  checkEventStore(): PromiseLike<HealthIndicatorResult<'event_store'>> {
    return this.health
      .check('event_store')
      .attempt(async () => {
        await this.eventStore.ping();
        return { provider: this.eventStore.provider };
      })
      .withTimeout(PROBE_TIMEOUT_MS);
  }
}
