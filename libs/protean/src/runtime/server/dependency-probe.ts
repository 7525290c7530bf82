import { Inject, Injectable } from '@nestjs/common';
import type { BrokerLookup } from '../../ports/broker/broker-lookup.js';
import type { Database } from '../../ports/database/database.port.js';
import type { EventStore } from '../../ports/event-store/event-store.port.js';
import { withTimeout } from '../../core/async/with-timeout.js';
import { messageOf } from '../../core/errors/error-message.js';
import { BROKER_REGISTRY, DATABASE, EVENT_STORE } from '../../core/protean.tokens.js';
import { SubscriptionPlan } from './subscription-plan.js';
import { ProbeTimeoutError } from './probe-timeout.error.js';

/** Longest wait for one probe: a scrape, a page or `/readyz` must answer even when Redis does not. */
export const PROBE_TIMEOUT_MS = 2000;

/** What a process depends on: `database`, `event_store` or `broker:<name>`. */
export type Dependency = 'database' | 'event_store' | `broker:${string}`;

/** Whether something answered, and if not, why. */
export interface ProbeResult {
  readonly up: boolean;
  /** Why it is down. */
  readonly error?: string;
}

/**
 * The one probe of what this application depends on — the database, the event store and every
 * broker in use (the outbox's and those the {@link SubscriptionPlan} reads) — each bounded by
 * {@link PROBE_TIMEOUT_MS}. The worker's `/readyz`, the terminus health indicators and the status
 * snapshot (metrics, Observatory, CLI) all ask it, so they name the same dependencies and wait
 * as long for each.
 */
@Injectable()
export class DependencyProbe {
  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerLookup,
    private readonly plan: SubscriptionPlan,
  ) {}

  /** The names of the brokers in use. */
  brokerNames(): string[] {
    return this.plan.brokers();
  }

  /** Every dependency: the database, the event store, then each broker in use. */
  dependencies(): Dependency[] {
    return [
      'database',
      'event_store',
      ...this.brokerNames().map((name): Dependency => `broker:${name}`),
    ];
  }

  /** Resolves when `dependency` answers within the timeout; rejects with the reason otherwise. */
  async ping(dependency: Dependency): Promise<void> {
    await this.bounded(this.pingOf(dependency)(), describe(dependency));
  }

  /** Whether `dependency` answers within the timeout; never rejects. */
  probe(dependency: Dependency): Promise<ProbeResult> {
    return this.ping(dependency).then(
      () => ({ up: true }),
      (error: unknown) => ({ up: false, error: messageOf(error) }),
    );
  }

  /** `work` (a read of a dependency: stream info, outbox stats), bounded by the same timeout. */
  bounded<T>(work: Promise<T>, what: string): Promise<T> {
    return withTimeout(work, PROBE_TIMEOUT_MS, () => new ProbeTimeoutError(what, PROBE_TIMEOUT_MS));
  }

  private pingOf(dependency: Dependency): () => Promise<void> {
    if (dependency === 'database') return () => this.database.ping();
    if (dependency === 'event_store') return () => this.eventStore.ping();
    const broker = dependency.slice('broker:'.length);
    return () => this.brokers.get(broker).ping();
  }
}

/** A dependency as a probe's message names it. */
function describe(dependency: Dependency): string {
  if (dependency === 'database') return 'database';
  if (dependency === 'event_store') return 'event store';
  return `broker "${dependency.slice('broker:'.length)}"`;
}
