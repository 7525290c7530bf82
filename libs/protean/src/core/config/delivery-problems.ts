import {
  DEFAULT_SUBSCRIPTION_TYPE,
  type ProteanConfig,
  type ServerConfig,
  type SubscriptionSettings,
} from './config.schema.js';

/*
 * The one place that decides whether a process can deliver what it accepts: a configuration
 * that would take messages in and never process them is refused at start with one line naming
 * the keys (exit 78), never discovered later by a customer.
 */

/**
 * Why a producer-only process (an API with no server engine in it) would accept async work that
 * nothing ever processes, as one line naming the keys and the fix; `undefined` when it can
 * deliver. The `inline` broker reaches only handlers in its own process, so async commands or
 * events published to it from a process without an engine are lost to every worker — unless the
 * workers read a shared (`postgresql`) event store instead of the broker.
 */
export function producerOnlyDeliveryProblem(config: ProteanConfig): string | undefined {
  const broker = config.outbox.broker;
  if (config.brokers[broker]?.provider !== 'inline') return undefined;
  const asyncKeys = (['command_processing', 'event_processing'] as const).filter(
    (key) => config[key] === 'async',
  );
  if (asyncKeys.length === 0) return undefined;
  const sharedEventStore =
    (config.server.default_subscription_type ?? DEFAULT_SUBSCRIPTION_TYPE) === 'event_store' &&
    config.event_store.provider === 'postgresql';
  if (sharedEventStore) return undefined;
  const processing = asyncKeys.map((key) => `${key} = "async"`).join(', ');
  return (
    `Invalid configuration: brokers.${broker}.provider = "inline" with ${processing}: ` +
    'this process has no server engine and the inline broker cannot reach one elsewhere, so ' +
    'commands would be accepted and never processed; run everything in one process ' +
    '(`npm start`), or set brokers.' +
    `${broker}.provider = "redis" (with its uri) and run a worker (\`npm run start:worker\`)`
  );
}

/** A subscription a worker's engine would open (`SubscriptionPlan.workerSubscriptions()`). */
export interface WorkerSubscription {
  readonly handler: string;
  readonly type: 'stream' | 'event_store';
  /** The broker a `stream` subscription reads. */
  readonly broker: string;
  /** A subscriber: it reads a broker stream of messages from outside the domain. */
  readonly external?: boolean;
  /** The handler decorator's subscription settings. */
  readonly options?: SubscriptionSettings;
}

/**
 * Why a worker that runs apart from the producers (`protean server`, the worker app) would
 * receive nothing on some of its subscriptions, as one line naming the keys and the fix;
 * `undefined` when every subscription can deliver:
 *
 * - an `event_store` subscription on a `memory` event store: the store lives in the worker's
 *   own memory, so nothing the API (or any other process) records ever reaches it;
 * - a `stream` subscription on an `inline` broker: only the worker's own process can publish
 *   to it, so nothing from the API or an outside system ever arrives.
 *
 * The embedded mode (`npm start`: API and engine in one process) has neither problem.
 */
export function workerDeliveryProblem(
  config: ProteanConfig,
  subscriptions: readonly WorkerSubscription[],
): string | undefined {
  const onMemoryStore = subscriptions.filter((s) => s.type === 'event_store');
  if (onMemoryStore.length > 0 && config.event_store.provider === 'memory') {
    return (
      `Invalid configuration: ${typeSource(onMemoryStore[0], config.server)} with ` +
      'event_store.provider = "memory" in a worker that runs apart from the API: a memory ' +
      'event store lives in this process only, so what the API records never reaches ' +
      `${names(onMemoryStore)}; set event_store.provider = "postgresql" (shared with the API), ` +
      'or run everything in one process (`npm start`)'
    );
  }
  const onInline = subscriptions.filter(
    (s) => s.type === 'stream' && config.brokers[s.broker]?.provider === 'inline',
  );
  if (onInline.length > 0) {
    const first = onInline[0];
    const source = first.external
      ? `subscriber ${first.handler} (a broker stream)`
      : typeSource(first, config.server);
    return (
      `Invalid configuration: ${source} with brokers.${first.broker}.provider = "inline" in a ` +
      'worker that runs apart from the API: only this process can publish to an inline ' +
      `broker, so nothing from the API or outside reaches ${names(onInline)}; set ` +
      `brokers.${first.broker}.provider = "redis" (with its uri), or run everything in one ` +
      'process (`npm start`)'
    );
  }
  return undefined;
}

/**
 * The key that gave a handler its subscription type, as `key = "value"`: the highest level
 * naming a type or a profile (decorator, then `[server.subscriptions.<Handler>]`, then
 * `[server]`), or the built-in default.
 */
function typeSource(subscription: WorkerSubscription, server: ServerConfig): string {
  const section = Object.entries(server.subscriptions).find(
    ([name]) => name.toLowerCase() === subscription.handler.toLowerCase(),
  );
  const levels: Array<[string, SubscriptionSettings | undefined]> = [
    [`${subscription.handler}'s decorator `, subscription.options],
    [`server.subscriptions.${section?.[0]}.`, section?.[1]],
  ];
  for (const [prefix, level] of levels) {
    if (level?.subscription_type)
      return `${prefix}subscription_type = "${level.subscription_type}"`;
    if (level?.subscription_profile)
      return `${prefix}subscription_profile = "${level.subscription_profile}"`;
  }
  if (server.default_subscription_type)
    return `server.default_subscription_type = "${server.default_subscription_type}"`;
  if (server.default_subscription_profile)
    return `server.default_subscription_profile = "${server.default_subscription_profile}"`;
  return `server.default_subscription_type = "${DEFAULT_SUBSCRIPTION_TYPE}" (the default)`;
}

function names(subscriptions: readonly WorkerSubscription[]): string {
  const all = [...new Set(subscriptions.map((s) => s.handler))];
  return all.length <= 3
    ? all.join(', ')
    : `${all.slice(0, 3).join(', ')} and ${all.length - 3} more`;
}
