import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { MessageHandler } from '@nestjs/microservices';
import type { BrokerLookup } from '../../ports/broker/broker-lookup.js';
import { asyncKindsOf } from '../../application/async-messages.js';
import { HandlerRunner } from '../../application/handler-runner.js';
import type { ProteanConfig } from '../../core/config/config.schema.js';
import { UndeliverableSubscriptionsError } from '../../core/config/undeliverable-subscriptions.error.js';
import type { Database } from '../../ports/database/database.port.js';
import { HandlerRegistry, type RegisteredHandler } from '../../model/handler-registry.js';
import type { EventStore } from '../../ports/event-store/event-store.port.js';
import {
  BROKER_REGISTRY,
  DATABASE,
  EVENT_STORE,
  PROTEAN_CONFIG,
} from '../../core/protean.tokens.js';
import { DELIVERY_CHECK, type DeliveryCheck } from './delivery-check.js';
import { DependencyProbe } from './dependency-probe.js';
import { EventStoreSubscription } from './event-store-subscription.js';
import { HandlerMessageProcessor } from './handler-message-processor.js';
import { HandlerSelection } from './handler-selection.js';
import { WorkerAnnouncer } from './worker-announcer.js';
import { hasWorkerRegistry } from '../../ports/broker/broker-roles.js';
import type { WorkerPresence } from '../../ports/broker/broker.port.js';
import type { MessageProcessor } from './message-processor.js';
import { PatternMessageProcessor } from './pattern-message-processor.js';
import { SizeLimitedMessageProcessor } from './size-limited-message-processor.js';
import { StreamRetention } from './stream-retention.js';
import { StreamSubscription, type PartitionReading } from './stream-subscription.js';
import { PartitionedSubscription } from './partitioned-subscription.js';
import { switchPartitionLayouts, type CategoryReaders } from './partition-layout.js';
import { StreamPartitions } from '../../core/messages/stream-partitions.js';
import { SYSTEM_CLOCK } from '../../core/async/clock.js';
import { SubscriberMessageProcessor } from './subscriber-message-processor.js';
import type { Subscription } from './subscription.js';
import { NO_OBSERVER, type SubscriptionObserver } from './subscription-observer.js';
import { SubscriptionObservers } from './subscription-observers.js';
import type { ResolvedSubscriptionSettings } from '../../core/config/subscription-profiles.js';
import { SubscriptionPlan, type PlanEntry } from './subscription-plan.js';
import { SharedEnvelopes } from './shared-envelopes.js';
import { EventStoreReaders } from '../../application/event-store-readers.js';

export type EngineState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/** One subscription, as the health endpoint and the CLI show it. */
export interface SubscriptionStatus {
  readonly handler: string;
  readonly stream: string;
  readonly type: ResolvedSubscriptionSettings['subscription_type'];
  readonly profile: string | null;
}

/** Work the engine runs beside its subscriptions (the outbox processor). */
export interface EngineService {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void>;
}

/**
 * The server engine (`protean server`): opens the subscriptions of the {@link SubscriptionPlan}
 * — one per handler and stream: commands, events, projectors, subscribers and Nest
 * `@EventPattern` handlers — each with the settings its profile and configuration resolve to. It starts them, and at shutdown stops reading,
 * lets in-flight messages finish within the grace period and flushes their acks.
 */
@Injectable()
export class ProteanEngine {
  private readonly logger = new Logger('ProteanEngine');
  private subscriptions: Subscription[] = [];
  private readonly services: EngineService[] = [];
  private readonly retention = new StreamRetention();
  private currentState: EngineState = 'idle';
  /** This process's consumer name in every group; unique, so a restart never inherits a dead one's. */
  readonly consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  /** Keeps this worker's announcement while it runs. */
  private announcer?: WorkerAnnouncer;
  /** Which stream categories are partitioned, and in how many partitions. */
  private readonly streams: StreamPartitions;
  /** Where subscriptions report: the {@link SubscriptionObservers} as `start()` found them. */
  private observer: SubscriptionObserver = NO_OBSERVER;

  constructor(
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerLookup,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(DATABASE) private readonly database: Database,
    private readonly registry: HandlerRegistry,
    private readonly runner: HandlerRunner,
    private readonly plan: SubscriptionPlan,
    /** What readiness depends on: the database, the event store and every broker in use. */
    readonly probe: DependencyProbe,
    readers: EventStoreReaders,
    private readonly observers: SubscriptionObservers,
    /**
     * Checked first by `start()`, which then throws {@link UndeliverableSubscriptionsError}:
     * `ProteanWorkerModule` provides it for a worker apart from the API; the embedded engine has
     * nothing to check.
     */
    @Optional() @Inject(DELIVERY_CHECK) private readonly deliveryCheck?: DeliveryCheck,
  ) {
    readers.add(() => this.readsEventStore);
    this.streams = new StreamPartitions(config.streams);
  }

  get state(): EngineState {
    return this.currentState;
  }

  /** Whether this process's engine runs `event_store` subscriptions (started, not stopped). */
  get readsEventStore(): boolean {
    return (
      (this.currentState === 'running' || this.currentState === 'starting') &&
      this.subscriptions.some(
        (subscription) => subscription.settings.subscription_type === 'event_store',
      )
    );
  }

  /** Ready: running and not stopping. */
  get ready(): boolean {
    return this.currentState === 'running';
  }

  /** Runs `service` with the engine: started after the subscriptions, stopped after them. */
  addService(service: EngineService): void {
    this.services.push(service);
  }

  /** Starts every subscription; `patterns` are Nest `@EventPattern` handlers, by stream. */
  async start(patterns: ReadonlyMap<string, MessageHandler> = new Map()): Promise<void> {
    if (this.currentState !== 'idle')
      throw new Error(`The engine is ${this.currentState}; it starts once`);
    this.plan.addEventPatterns(patterns);
    const planned = this.plan.entries();
    const pool = new HandlerSelection(this.config.server, [
      ...new Set(planned.map((entry) => entry.subscription.handler)),
    ]);
    const undeliverable = this.deliveryCheck?.(
      this.plan.workerSubscriptions((group) => pool.runs(group)),
    );
    if (undeliverable) throw new UndeliverableSubscriptionsError(undeliverable);
    this.currentState = 'starting';
    this.observer = this.observers.combined();
    const entries = planned.filter((entry) => pool.runs(entry.subscription.handler));
    await switchPartitionLayouts(this.categoryReaders(entries), this.streams);
    const shared = sharedEnvelopesOf(entries);
    this.subscriptions = entries.map((entry) => this.open(entry, shared));
    await Promise.all(this.subscriptions.map((subscription) => subscription.start()));
    for (const service of this.services) await service.start();
    this.retention.start();
    this.announcer = this.announcerFor(pool, entries);
    await this.announcer.start();
    this.currentState = 'running';
    this.logger.log(
      `Consumer ${this.consumer} running ${this.subscriptions.length} subscription(s)` +
        (pool.all ? '' : ` (a pool: ${pool.names().join(', ')})`) +
        `: ${this.subscriptions.map((s) => `${s.group}@${s.stream}`).join(', ')}`,
    );
  }

  /** Stops reading, drains in-flight messages within the grace period, flushes acks. */
  async stop(): Promise<void> {
    if (this.currentState === 'stopped' || this.currentState === 'stopping') return;
    this.currentState = 'stopping';
    await this.announcer?.stop();
    this.retention.stop();
    const deadline = Date.now() + this.config.server.shutdown_grace_seconds * 1000;
    for (const subscription of this.subscriptions) subscription.stopReading();
    await Promise.all(this.subscriptions.map((subscription) => subscription.drain(deadline)));
    for (const service of [...this.services].reverse()) await service.stop();
    this.currentState = 'stopped';
    this.logger.log('Stopped');
  }

  /** The subscriptions and their resolved settings. */
  describe(): SubscriptionStatus[] {
    return this.subscriptions.map((subscription) => ({
      handler: subscription.group,
      stream: subscription.stream,
      type: subscription.settings.subscription_type,
      profile: subscription.settings.subscription_profile ?? null,
    }));
  }

  /** The broker stream categories `entries` read, each with its broker. */
  private categoryReaders(entries: readonly PlanEntry[]): CategoryReaders[] {
    const readers = new Map<string, CategoryReaders>();
    for (const { subscription } of entries) {
      if (subscription.type !== 'stream' || !subscription.broker) continue;
      readers.set(`${subscription.broker}\n${subscription.stream}`, {
        broker: this.brokers.get(subscription.broker),
        category: subscription.stream,
      });
    }
    return [...readers.values()];
  }

  /**
   * Announces this worker, and the handlers of its `pool`, on the brokers of its subscriptions
   * and of the outbox that keep a worker registry.
   */
  private announcerFor(pool: HandlerSelection, entries: readonly PlanEntry[]): WorkerAnnouncer {
    const names = new Set([this.config.outbox.broker]);
    for (const { subscription } of entries) if (subscription.broker) names.add(subscription.broker);
    const registries = [...names].flatMap((name) => {
      try {
        const broker = this.brokers.get(name);
        return hasWorkerRegistry(broker) ? [broker] : [];
      } catch {
        return []; // a broker that cannot be created is reported by the probe
      }
    });
    const startedAt = new Date().toISOString();
    const presence = (): WorkerPresence => ({
      consumer: this.consumer,
      host: hostname(),
      pid: process.pid,
      handlers: pool.names(),
      pool: pool.describe(),
      startedAt,
      seenAt: new Date().toISOString(),
      partitions: Object.fromEntries(this.streams.partitioned),
    });
    return new WorkerAnnouncer([...new Set(registries)], presence, this.logger);
  }

  /**
   * Opens the plan's subscription: one on the event store, or one on a broker stream through
   * its processor — on each partition of a partitioned category, under leases.
   */
  private open(
    { subscription, settings, reader }: PlanEntry,
    shared: SharedEnvelopes,
  ): Subscription {
    if (reader.kind === 'handler' && settings.subscription_type === 'event_store')
      return this.eventStoreSubscription(reader.handler, settings);
    const processorOf = (stream: string, sharing?: SharedEnvelopes): MessageProcessor =>
      reader.kind === 'handler'
        ? new HandlerMessageProcessor(stream, reader.handler, this.registry, this.runner, sharing)
        : reader.kind === 'subscriber'
          ? new SubscriberMessageProcessor(reader.subscriber, this.runner, stream)
          : new PatternMessageProcessor(stream, reader.handler, this.runner);
    const brokerName = subscription.broker ?? 'default';
    const partitions = this.streams.of(subscription.stream);
    if (partitions === 1) {
      const sharing = shared.shares(subscription.stream) ? shared : undefined;
      return this.streamSubscription(
        processorOf(subscription.stream, sharing),
        settings,
        brokerName,
      );
    }
    return new PartitionedSubscription(
      this.brokers.get(brokerName),
      subscription.stream,
      partitions,
      subscription.handler,
      settings,
      this.consumer,
      this.config.server.partition_lease_seconds * 1000,
      // Which partitions the handlers of this process read differs: they parse on their own.
      (stream, leased) =>
        this.streamSubscription(processorOf(stream), settings, brokerName, leased),
    );
  }

  private streamSubscription(
    processor: MessageProcessor,
    settings: ResolvedSubscriptionSettings,
    brokerName: string,
    partition?: PartitionReading,
  ): StreamSubscription {
    const broker = this.brokers.get(brokerName);
    this.retention.add(broker, processor.stream, settings.retention_maxlen);
    const limited = new SizeLimitedMessageProcessor(
      processor,
      this.config.brokers[brokerName].max_payload_bytes,
      brokerName,
    );
    return new StreamSubscription(
      broker,
      limited,
      settings,
      this.consumer,
      this.observer,
      SYSTEM_CLOCK,
      partition,
    );
  }

  private eventStoreSubscription(
    handler: RegisteredHandler,
    settings: ResolvedSubscriptionSettings,
  ): EventStoreSubscription {
    return new EventStoreSubscription(
      handler,
      this.eventStore,
      this.database,
      this.runner,
      settings,
      this.observer,
      asyncKindsOf(this.config),
    );
  }
}

/** The handlers' subscriptions by stream, counted, for them to share parsing. */
function sharedEnvelopesOf(entries: readonly PlanEntry[]): SharedEnvelopes {
  const readers = new Map<string, number>();
  for (const { subscription, settings, reader } of entries) {
    if (reader.kind !== 'handler' || settings.subscription_type === 'event_store') continue;
    readers.set(subscription.stream, (readers.get(subscription.stream) ?? 0) + 1);
  }
  return new SharedEnvelopes(readers);
}
