import { DEFAULT_SUBSCRIPTION_TYPE, type SubscriptionSettings } from './config.schema.js';

/** Every subscription setting, resolved. */
export type ResolvedSubscriptionSettings = Required<
  Omit<SubscriptionSettings, 'subscription_profile'>
> & {
  readonly subscription_profile: SubscriptionSettings['subscription_profile'] | null;
};

type ProfileValues = Omit<ResolvedSubscriptionSettings, 'subscription_profile'>;

/**
 * Built-in defaults, used below any profile. Protean's values, plus this engine's own settings
 * (concurrency, reclaim idle time, backoff cap). The type is `event_store`, the chapter's
 * "Default, development-friendly" one.
 */
export const DEFAULT_SUBSCRIPTION_SETTINGS: ProfileValues = {
  subscription_type: DEFAULT_SUBSCRIPTION_TYPE,
  messages_per_tick: 10,
  tick_interval: 0,
  blocking_timeout_ms: 5000,
  max_retries: 3,
  retry_delay_seconds: 1,
  max_retry_delay_seconds: 30,
  enable_dlq: true,
  position_update_interval: 10,
  retention_maxlen: 0,
  concurrency: 10,
  min_idle_ms: 60_000,
  circuit_breaker_threshold: 10,
  circuit_breaker_reset_seconds: 60,
  max_conflict_retry_seconds: 300,
};

/**
 * Protean's five subscription profiles, with the same values: `projection` reads the event
 * store, the others broker streams (whatever the built-in default type is).
 */
export const SUBSCRIPTION_PROFILE_VALUES: Record<
  NonNullable<SubscriptionSettings['subscription_profile']>,
  ProfileValues
> = {
  production: {
    ...DEFAULT_SUBSCRIPTION_SETTINGS,
    subscription_type: 'stream',
    messages_per_tick: 100,
    blocking_timeout_ms: 5000,
    max_retries: 3,
    retry_delay_seconds: 1,
    enable_dlq: true,
    position_update_interval: 10,
    retention_maxlen: 100_000,
  },
  fast: {
    ...DEFAULT_SUBSCRIPTION_SETTINGS,
    subscription_type: 'stream',
    messages_per_tick: 10,
    blocking_timeout_ms: 100,
    max_retries: 2,
    retry_delay_seconds: 0,
    enable_dlq: true,
    position_update_interval: 5,
    retention_maxlen: 100_000,
  },
  batch: {
    ...DEFAULT_SUBSCRIPTION_SETTINGS,
    subscription_type: 'stream',
    messages_per_tick: 500,
    blocking_timeout_ms: 10_000,
    max_retries: 5,
    retry_delay_seconds: 2,
    enable_dlq: true,
    position_update_interval: 50,
    retention_maxlen: 500_000,
    concurrency: 50,
  },
  debug: {
    ...DEFAULT_SUBSCRIPTION_SETTINGS,
    subscription_type: 'stream',
    messages_per_tick: 1,
    tick_interval: 1,
    blocking_timeout_ms: 1000,
    max_retries: 1,
    retry_delay_seconds: 0,
    enable_dlq: false,
    position_update_interval: 1,
    retention_maxlen: 1000,
    concurrency: 1,
  },
  projection: {
    ...DEFAULT_SUBSCRIPTION_SETTINGS,
    subscription_type: 'event_store',
    messages_per_tick: 100,
    blocking_timeout_ms: 5000,
    max_retries: 3,
    retry_delay_seconds: 1,
    enable_dlq: false,
    position_update_interval: 10,
    retention_maxlen: 0,
  },
};
