import { Inject, Injectable } from '@nestjs/common';
import type { MessageHandler } from '@nestjs/microservices';
import type { ProteanConfig } from '../../core/config/config.schema.js';
import type { WorkerSubscription } from '../../core/config/delivery-problems.js';
import {
  HandlerRegistry,
  type RegisteredHandler,
  type RegisteredSubscriber,
} from '../../model/handler-registry.js';
import { PROTEAN_CONFIG } from '../../core/protean.tokens.js';
import { eventPatternGroup } from './pattern-message-processor.js';
import { resolveSubscriptionSettings } from './resolve-subscription-settings.js';
import { StreamPartitions } from '../../core/messages/stream-partitions.js';
import type { ResolvedSubscriptionSettings } from '../../core/config/subscription-profiles.js';

/** A subscription the engine runs (or would run) for this application's handlers. */
export interface PlannedSubscription {
  /** The handler's name: its consumer group. */
  readonly handler: string;
  /** The broker stream, or `$event_store` for an `event_store` subscription. */
  readonly stream: string;
  readonly type: 'stream' | 'event_store';
  readonly profile: string | null;
  /** The broker it reads from; `undefined` for `event_store` subscriptions. */
  readonly broker: string | undefined;
}

/** Who receives a planned subscription's messages. */
export type PlannedReader =
  | { readonly kind: 'handler'; readonly handler: RegisteredHandler }
  | { readonly kind: 'subscriber'; readonly subscriber: RegisteredSubscriber }
  | { readonly kind: 'pattern'; readonly handler: MessageHandler };

/** One subscription of the plan: what it is, its resolved settings and its reader. */
export interface PlanEntry {
  readonly subscription: PlannedSubscription;
  readonly settings: ResolvedSubscriptionSettings;
  readonly reader: PlannedReader;
}

/**
 * The subscriptions of this application — one per handler and stream (one per handler on the
 * event store), one per subscriber, one per Nest `@EventPattern` handler — each with the
 * settings its profile and configuration resolve to. Worked out once, from the handler registry
 * and the configuration, in every process that has the domain (the API, the worker, the CLI):
 * the engine opens exactly these, and the status page, the health checks, `/readyz` and the
 * worker's start-up check (`workerDeliveryProblem`) read them, so none can disagree with what
 * runs. Nest `@EventPattern` handlers are known only to a running engine: it adds them when it
 * starts ({@link addEventPatterns}).
 */
@Injectable()
export class SubscriptionPlan {
  private domain: PlanEntry[] | undefined;
  private patterns: PlanEntry[] = [];
  private readonly streams: StreamPartitions;

  constructor(
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    private readonly registry: HandlerRegistry,
  ) {
    this.streams = new StreamPartitions(config.streams);
  }

  /** Every entry: handlers, then subscribers, then `@EventPattern` handlers. */
  entries(): readonly PlanEntry[] {
    // The registry discovers the handlers at module init; the plan is read after it.
    this.domain ??= [...this.handlerEntries(), ...this.subscriberEntries()];
    return [...this.domain, ...this.patterns];
  }

  /**
   * The subscriptions, as the status page, the CLI and the Observatory show them: a
   * partitioned category's once per partition stream (`<category>#<k>`), where its lag, pending
   * messages and dead letters are.
   */
  subscriptions(): PlannedSubscription[] {
    return this.entries().flatMap(({ subscription }) =>
      subscription.type === 'stream'
        ? this.streams.streamsOf(subscription.stream).map((stream) => ({ ...subscription, stream }))
        : [subscription],
    );
  }

  /** The names of the brokers in use: the outbox's, then those the subscriptions read. */
  brokers(): string[] {
    const names = new Set([this.config.outbox.broker]);
    for (const { subscription } of this.entries())
      if (subscription.broker) names.add(subscription.broker);
    return [...names];
  }

  /** Adds the Nest `@EventPattern` handlers of the engine that runs here, by stream (once). */
  addEventPatterns(patterns: ReadonlyMap<string, MessageHandler>): void {
    this.patterns = [...patterns].map(([stream, handler]) => {
      const group = eventPatternGroup(stream, handler);
      const settings = resolveSubscriptionSettings(
        group,
        this.config.server,
        {},
        { brokerStream: true },
      );
      return this.entry(group, stream, 'default', settings, { kind: 'pattern', handler });
    });
  }

  /**
   * The subscriptions as the worker's start-up check reads them: one per handler (its type and
   * decorator options), subscribers and `@EventPattern` handlers marked external; of those
   * whose consumer group `runs` says the worker runs (every one by default).
   */
  workerSubscriptions(runs: (group: string) => boolean = () => true): WorkerSubscription[] {
    const domain = this.registry
      .handlers()
      .filter((handler) => runs(handler.name))
      .map((handler): WorkerSubscription => ({
        handler: handler.name,
        type: this.settingsOf(handler).subscription_type,
        broker: this.config.outbox.broker,
        options: handler.options,
      }));
    const external = this.entries()
      .filter((entry) => entry.reader.kind !== 'handler' && runs(entry.subscription.handler))
      .map(({ subscription, reader }): WorkerSubscription => ({
        handler:
          reader.kind === 'pattern'
            ? `@EventPattern('${subscription.stream}')`
            : subscription.handler,
        type: 'stream',
        broker: subscription.broker ?? 'default',
        external: true,
      }));
    return [...domain, ...external];
  }

  private handlerEntries(): PlanEntry[] {
    return this.registry.handlers().flatMap((handler): PlanEntry[] => {
      const settings = this.settingsOf(handler);
      const reader: PlannedReader = { kind: 'handler', handler };
      if (settings.subscription_type === 'event_store')
        return [this.entry(handler.name, '$event_store', undefined, settings, reader)];
      return handler.streams.map((stream) =>
        this.entry(handler.name, stream, this.config.outbox.broker, settings, reader),
      );
    });
  }

  private subscriberEntries(): PlanEntry[] {
    return this.registry.subscribers().map((subscriber) =>
      this.entry(
        subscriber.name,
        subscriber.options.stream,
        subscriber.options.broker ?? 'default',
        resolveSubscriptionSettings(subscriber.name, this.config.server, subscriber.options, {
          brokerStream: true,
        }),
        { kind: 'subscriber', subscriber },
      ),
    );
  }

  private settingsOf(handler: RegisteredHandler): ResolvedSubscriptionSettings {
    return resolveSubscriptionSettings(handler.name, this.config.server, handler.options);
  }

  private entry(
    handler: string,
    stream: string,
    broker: string | undefined,
    settings: ResolvedSubscriptionSettings,
    reader: PlannedReader,
  ): PlanEntry {
    const type = settings.subscription_type;
    const profile = settings.subscription_profile ?? null;
    return { subscription: { handler, stream, type, profile, broker }, settings, reader };
  }
}
