import {
  deadLetterProblem,
  type ServerConfig,
  type SubscriptionSettings,
} from '../../core/config/config.schema.js';
import { ConfigurationError } from '../../core/config/configuration.error.js';
import {
  DEFAULT_SUBSCRIPTION_SETTINGS,
  SUBSCRIPTION_PROFILE_VALUES,
  type ResolvedSubscriptionSettings,
} from '../../core/config/subscription-profiles.js';

type Level = SubscriptionSettings;

/**
 * A handler's subscription settings, from three levels — `[server]`, then
 * `[server.subscriptions.<Handler>]`, then the handler decorator's options — over the built-in
 * defaults. A profile applies at the level that names it: its values sit just below that
 * level's own keys and above everything from lower levels. So, lowest first:
 *
 *   defaults < server profile < [server] keys < handler-section profile < handler-section keys
 *            < decorator profile < decorator keys
 *
 * (In Protean the built-in defaults can shadow a chosen profile; here a chosen profile always
 * wins over the defaults.) Handler sections are matched by name case-insensitively.
 *
 * With `brokerStream` (subscribers and Nest `@EventPattern` handlers, which read messages that
 * exist only on a broker stream) the type is always `stream`, whatever the levels say; every
 * other setting resolves as above.
 */
export function resolveSubscriptionSettings(
  handlerName: string,
  server: ServerConfig,
  decorator: Level = {},
  options: { readonly brokerStream?: boolean } = {},
): ResolvedSubscriptionSettings {
  const serverLevel: Level = {
    ...pickSubscriptionKeys(server),
    subscription_type: server.default_subscription_type,
    subscription_profile: server.default_subscription_profile,
  };
  const levels = [serverLevel, sectionFor(handlerName, server), decorator];

  let resolved: Omit<ResolvedSubscriptionSettings, 'subscription_profile'> =
    DEFAULT_SUBSCRIPTION_SETTINGS;
  let profile: ResolvedSubscriptionSettings['subscription_profile'] = null;
  for (const level of levels) {
    if (level.subscription_profile) {
      profile = level.subscription_profile;
      resolved = { ...resolved, ...SUBSCRIPTION_PROFILE_VALUES[profile] };
    }
    const { subscription_profile: _named, ...keys } = level;
    resolved = { ...resolved, ...withoutUndefined(keys) };
  }

  if (options.brokerStream)
    return { ...resolved, subscription_type: 'stream', subscription_profile: profile };
  if (resolved.subscription_type === 'event_store') {
    // [server]'s own enable_dlq is for stream subscriptions: only a handler's levels are refused.
    const problem = deadLetterProblem(
      resolved.subscription_type,
      levels.slice(1).some((level) => level.enable_dlq),
    );
    if (problem) {
      throw new ConfigurationError(`server.subscriptions.${handlerName}.enable_dlq`, problem);
    }
    resolved = { ...resolved, enable_dlq: false };
  }
  return { ...resolved, subscription_profile: profile };
}

function sectionFor(handlerName: string, server: ServerConfig): Level {
  const wanted = handlerName.toLowerCase();
  const match = Object.entries(server.subscriptions).find(
    ([name]) => name.toLowerCase() === wanted,
  );
  return match?.[1] ?? {};
}

function pickSubscriptionKeys(server: ServerConfig): Level {
  const keys = Object.keys(DEFAULT_SUBSCRIPTION_SETTINGS) as Array<
    keyof typeof DEFAULT_SUBSCRIPTION_SETTINGS
  >;
  return Object.fromEntries(
    keys.filter((key) => key in server).map((key) => [key, (server as Level)[key]]),
  );
}

function withoutUndefined<T extends object>(settings: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
