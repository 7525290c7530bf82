import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { BrokerLookup } from '../../ports/broker/broker-lookup.js';
import type { ProteanConfig } from '../../core/config/config.schema.js';
import type { Database } from '../../ports/database/database.port.js';
import type { EventStore } from '../../ports/event-store/event-store.port.js';
import { ShutdownState } from '../../runtime/lifecycle/shutdown-state.js';
import type { OutboxStore } from '../../ports/outbox/outbox-store.port.js';
import {
  BROKER_REGISTRY,
  DATABASE,
  EVENT_STORE,
  OUTBOX_STORE,
  PROTEAN_CONFIG,
} from '../../core/protean.tokens.js';
import { DependencyProbe } from '../../runtime/server/dependency-probe.js';
import { ProteanEngine } from '../../runtime/server/protean-engine.js';
import { messageOf } from '../../core/errors/error-message.js';

/**
 * Terminus health indicators for what Protean connects to, asked through the one
 * {@link DependencyProbe} (its timeout, its list of brokers). Readiness turns down as soon as
 * shutdown begins (the signal, before anything drains), so a load balancer stops sending work
 * before connections close.
 */
@Injectable()
export class ProteanHealthIndicator implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly health: HealthIndicatorService,
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerLookup,
    @Inject(OUTBOX_STORE) private readonly outbox: OutboxStore,
    private readonly engine: ProteanEngine,
    private readonly probe: DependencyProbe,
  ) {}

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  /** Down once shutdown has started. */
  checkAccepting(): HealthIndicatorResult<'lifecycle'> {
    const session = this.health.check('lifecycle');
    return this.shuttingDown || ShutdownState.started
      ? session.down({ message: 'shutting down' })
      : session.up();
  }

  checkDatabase(): PromiseLike<HealthIndicatorResult<'database'>> {
    return this.health.check('database').attempt(async () => {
      await this.probe.ping('database');
      return { provider: this.database.provider };
    });
  }

  checkEventStore(): PromiseLike<HealthIndicatorResult<'event_store'>> {
    return this.health.check('event_store').attempt(async () => {
      await this.probe.ping('event_store');
      return { provider: this.eventStore.provider };
    });
  }

  /**
   * The broker called `name` answers a ping (key `broker:<name>`). A broker this process does
   * not need to accept work (an API that writes to the outbox leaves publishing to the
   * workers) is reported `degraded` rather than down when it does not answer.
   */
  async checkBroker(
    name: string,
    required = true,
  ): Promise<HealthIndicatorResult<`broker:${string}`>> {
    const result = await this.health.check(`broker:${name}`).attempt(async () => {
      const broker = this.brokers.get(name);
      await this.probe.ping(`broker:${name}`);
      return { provider: broker.provider };
    });
    const outcome = result[`broker:${name}`];
    if (required || outcome.status !== 'down') return result;
    const { status: _down, ...details } = outcome;
    return this.health
      .check(`broker:${name}`)
      .degraded({ ...details, note: 'not needed by this process to accept work' });
  }

  /** Up while the engine of this process runs; down before it starts and once it stops. */
  checkEngine(): HealthIndicatorResult<'engine'> {
    const session = this.health.check('engine');
    const state = this.engine.state;
    return this.engine.ready ? session.up({ state }) : session.down({ state });
  }

  /**
   * The outbox backlog (rows waiting to be published) and the age of the oldest: `degraded`
   * — reported, HTTP still 200 — above `server.health.outbox_max_backlog` rows or
   * `server.health.outbox_max_age_seconds`; down when it cannot be read.
   */
  async checkOutbox(): Promise<HealthIndicatorResult<'outbox'>> {
    const session = this.health.check('outbox');
    const limits = this.config.server.health;
    let stats;
    try {
      stats = await this.outbox.stats();
    } catch (error) {
      return session.down({ message: messageOf(error) });
    }
    const backlog = stats.counts.pending + stats.counts.processing + stats.counts.failed;
    const age = stats.oldestPendingAgeSeconds ?? 0;
    const details = {
      backlog,
      abandoned: stats.counts.abandoned,
      oldestPendingAgeSeconds: stats.oldestPendingAgeSeconds,
    };
    if (backlog > limits.outbox_max_backlog || age > limits.outbox_max_age_seconds) {
      return session.degraded({
        ...details,
        message: `backlog above ${limits.outbox_max_backlog} rows or ${limits.outbox_max_age_seconds} s`,
      });
    }
    return session.up(details);
  }
}
