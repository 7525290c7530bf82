import type { ProteanConfig } from '../../config/config.schema.js';
import type { HandlerRegistry } from '../../domain/handler-registry.js';
import type { SubscriptionStatus } from '../../server/protean-engine.js';
import { resolveSubscriptionSettings } from '../../server/resolve-subscription-settings.js';

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

/**
 * The subscriptions of this application's handlers and subscribers, resolved as the engine
 * resolves them — known in every process that has the domain (the API, the CLI), whether the
 * engine runs there or not. `running` adds what only a running engine knows (Nest
 * `@EventPattern` handlers).
 */
export function planSubscriptions(
  registry: HandlerRegistry,
  config: ProteanConfig,
  running: readonly SubscriptionStatus[] = [],
): PlannedSubscription[] {
  const planned: PlannedSubscription[] = [];
  for (const handler of registry.handlers()) {
    const settings = resolveSubscriptionSettings(handler.name, config.server, handler.options);
    const profile = settings.subscription_profile ?? null;
    if (settings.subscription_type === 'event_store') {
      planned.push({
        handler: handler.name,
        stream: '$event_store',
        type: 'event_store',
        profile,
        broker: undefined,
      });
      continue;
    }
    for (const stream of handler.streams) {
      planned.push({
        handler: handler.name,
        stream,
        type: 'stream',
        profile,
        broker: config.outbox.broker,
      });
    }
  }
  for (const subscriber of registry.subscribers()) {
    const settings = resolveSubscriptionSettings(
      subscriber.name,
      config.server,
      subscriber.options,
      { brokerStream: true },
    );
    planned.push({
      handler: subscriber.name,
      stream: subscriber.options.stream,
      type: 'stream',
      profile: settings.subscription_profile ?? null,
      broker: subscriber.options.broker ?? 'default',
    });
  }
  const known = new Set(planned.map((s) => `${s.handler}@${s.stream}`));
  for (const status of running) {
    if (known.has(`${status.handler}@${status.stream}`)) continue;
    planned.push({ ...status, broker: status.type === 'stream' ? 'default' : undefined });
  }
  return planned;
}
