import { Inject, Injectable } from '@nestjs/common';
import type { BrokerRegistry } from '../../brokers/broker-registry.js';
import {
  deadLetterStream,
  type Broker,
  type GroupInfo,
  type StreamInfo,
} from '../../brokers/broker.port.js';
import type { ProteanConfig } from '../../config/config.schema.js';
import type { Database } from '../../database/database.port.js';
import { HandlerRegistry } from '../../domain/handler-registry.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import type { OutboxStore } from '../../outbox/outbox-store.port.js';
import {
  BROKER_REGISTRY,
  DATABASE,
  EVENT_STORE,
  OUTBOX_STORE,
  PROTEAN_CONFIG,
} from '../../protean.tokens.js';
import { ProteanEngine } from '../../server/protean-engine.js';
import type {
  BrokerStatus,
  ProbeResult,
  StatusSnapshot,
  StreamStatus,
  SubscriptionState,
} from './status-snapshot.js';
import { planSubscriptions, type PlannedSubscription } from './subscription-plan.js';
import { reasonOf, withTimeout } from './with-timeout.js';

/** Longest wait for one probe: a scrape or a page must answer even when Redis does not. */
const PROBE_TIMEOUT_MS = 2000;
/** Callers within this many ms share one snapshot (one scrape reads each stream once). */
const SHARED_FOR_MS = 500;

/**
 * Takes the operational state of the application from the shared truths — the broker (streams,
 * groups, lag, pending, dead letters), the database and the outbox — so every process that has
 * the domain (API, worker, CLI) reports the same numbers for all workers together. Every probe
 * is bounded, and a dependency that is down is reported as down rather than failing the rest.
 */
@Injectable()
export class ProteanStatus {
  private shared: { at: number; snapshot: Promise<StatusSnapshot> } | undefined;

  constructor(
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerRegistry,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(OUTBOX_STORE) private readonly outbox: OutboxStore,
    private readonly registry: HandlerRegistry,
    private readonly engine: ProteanEngine,
  ) {}

  /** The subscriptions of this application (see {@link planSubscriptions}). */
  subscriptions(): PlannedSubscription[] {
    return planSubscriptions(this.registry, this.config, this.engine.describe());
  }

  /** The names of the brokers the subscriptions and the outbox use. */
  brokerNames(): string[] {
    const names = new Set([this.config.outbox.broker]);
    for (const s of this.subscriptions()) if (s.broker) names.add(s.broker);
    return [...names];
  }

  /** The broker of that name. */
  broker(name: string): Broker {
    return this.brokers.get(name);
  }

  /** A snapshot, shared with other callers of the last half second. */
  snapshot(): Promise<StatusSnapshot> {
    const now = Date.now();
    if (!this.shared || now - this.shared.at > SHARED_FOR_MS) {
      const snapshot = this.take();
      this.shared = { at: now, snapshot };
      snapshot.catch(() => (this.shared = undefined));
    }
    return this.shared.snapshot;
  }

  private async take(): Promise<StatusSnapshot> {
    const plan = this.subscriptions();
    const [database, eventStore, brokers, outbox] = await Promise.all([
      this.probe('database', () => this.database.ping()),
      this.probe('event store', () => this.eventStore.ping()),
      Promise.all(this.brokerNames().map((name) => this.brokerStatus(name))),
      this.outboxStats(),
    ]);
    const up = new Set(brokers.filter((b) => b.up).map((b) => b.name));
    const streams = await this.streamStatuses(plan, up);
    return {
      takenAt: new Date().toISOString(),
      database: { provider: this.database.provider, ...database },
      eventStore: { provider: this.eventStore.provider, ...eventStore },
      brokers,
      engine: this.engine.state,
      streams,
      subscriptions: [...plan.map((s) => stateOf(s, streams)), ...unplannedGroups(plan, streams)],
      outbox,
    };
  }

  private async brokerStatus(name: string): Promise<BrokerStatus> {
    let broker: Broker;
    try {
      broker = this.brokers.get(name);
    } catch (error) {
      return { name, provider: 'unknown', deadLetters: false, up: false, error: reasonOf(error) };
    }
    const probe = await this.probe(`broker "${name}"`, () => broker.ping());
    return {
      name,
      provider: broker.provider,
      deadLetters: broker.capabilities.deadLetters,
      ...probe,
    };
  }

  private async streamStatuses(
    plan: readonly PlannedSubscription[],
    brokersUp: ReadonlySet<string>,
  ): Promise<StreamStatus[]> {
    const keys = new Map<string, { broker: string; stream: string }>();
    for (const { broker, stream, type } of plan) {
      if (type === 'stream' && broker && brokersUp.has(broker))
        keys.set(`${broker}\n${stream}`, { broker, stream });
    }
    const statuses = await Promise.all(
      [...keys.values()].map(({ broker, stream }) => this.streamStatus(broker, stream)),
    );
    return statuses.filter((status): status is StreamStatus => status !== undefined);
  }

  private async streamStatus(name: string, stream: string): Promise<StreamStatus | undefined> {
    const broker = this.brokers.get(name);
    try {
      const [info, dlq] = await Promise.all([
        withTimeout(broker.streamInfo(stream), PROBE_TIMEOUT_MS, `stream ${stream}`),
        broker.capabilities.deadLetters
          ? withTimeout<StreamInfo | undefined>(
              broker.streamInfo(deadLetterStream(stream)),
              PROBE_TIMEOUT_MS,
              `stream ${deadLetterStream(stream)}`,
            )
          : Promise.resolve(undefined),
      ]);
      return {
        broker: name,
        stream,
        length: info.length,
        deadLetters: dlq ? dlq.length : null,
        groups: info.groups,
      };
    } catch {
      return undefined; // reported through the broker's own probe
    }
  }

  private async outboxStats(): Promise<StatusSnapshot['outbox']> {
    try {
      return { stats: await withTimeout(this.outbox.stats(), PROBE_TIMEOUT_MS, 'outbox stats') };
    } catch (error) {
      return { stats: null, error: reasonOf(error) };
    }
  }

  private async probe(what: string, ping: () => Promise<void>): Promise<ProbeResult> {
    try {
      await withTimeout(ping(), PROBE_TIMEOUT_MS, what);
      return { up: true };
    } catch (error) {
      return { up: false, error: reasonOf(error) };
    }
  }
}

/** Groups at the broker on the streams read here that no subscription of this application is. */
function unplannedGroups(
  plan: readonly PlannedSubscription[],
  streams: readonly StreamStatus[],
): SubscriptionState[] {
  const planned = new Set(plan.map((s) => `${s.broker}\n${s.stream}\n${s.handler}`));
  return streams.flatMap((stream) =>
    stream.groups
      .filter((group) => !planned.has(`${stream.broker}\n${stream.stream}\n${group.name}`))
      .map((group) =>
        stateOf(
          {
            handler: group.name,
            stream: stream.stream,
            type: 'stream',
            profile: null,
            broker: stream.broker,
          },
          streams,
          false,
        ),
      ),
  );
}

function stateOf(
  subscription: PlannedSubscription,
  streams: readonly StreamStatus[],
  planned = true,
): SubscriptionState {
  const stream = streams.find(
    (s) => s.broker === subscription.broker && s.stream === subscription.stream,
  );
  const group = stream?.groups.find((g) => g.name === subscription.handler);
  return {
    ...subscription,
    planned,
    lag: group?.lag ?? null,
    pending: group ? group.pending : null,
    processed: group ? processedBy(group) : null,
  };
}

/** Entries a group has finished; a group that was never delivered anything finished none. */
function processedBy(group: GroupInfo): number | null {
  if (group.entriesRead !== undefined) return Math.max(0, group.entriesRead - group.pending);
  // Redis reports no entries-read for a group that has not read yet.
  return group.pending === 0 && group.lastDeliveredId === '0-0' ? 0 : null;
}
