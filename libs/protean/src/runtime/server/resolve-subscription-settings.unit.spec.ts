import { loadConfiguration } from '../../core/config/load-configuration.js';
import { resolveSubscriptionSettings } from './resolve-subscription-settings.js';
import {
  DEFAULT_SUBSCRIPTION_SETTINGS,
  SUBSCRIPTION_PROFILE_VALUES,
} from '../../core/config/subscription-profiles.js';

const server = (overrides: Record<string, unknown> = {}) =>
  loadConfiguration({ embedded: true, overrides: { server: overrides } }).server;

describe('subscription profiles', () => {
  it.each([
    [
      'production',
      {
        subscription_type: 'stream',
        messages_per_tick: 100,
        tick_interval: 0,
        blocking_timeout_ms: 5000,
        max_retries: 3,
        retry_delay_seconds: 1,
        enable_dlq: true,
        position_update_interval: 10,
        retention_maxlen: 100_000,
      },
    ],
    [
      'fast',
      {
        subscription_type: 'stream',
        messages_per_tick: 10,
        tick_interval: 0,
        blocking_timeout_ms: 100,
        max_retries: 2,
        retry_delay_seconds: 0,
        enable_dlq: true,
        position_update_interval: 5,
        retention_maxlen: 100_000,
      },
    ],
    [
      'batch',
      {
        subscription_type: 'stream',
        messages_per_tick: 500,
        tick_interval: 0,
        blocking_timeout_ms: 10_000,
        max_retries: 5,
        retry_delay_seconds: 2,
        enable_dlq: true,
        position_update_interval: 50,
        retention_maxlen: 500_000,
      },
    ],
    [
      'debug',
      {
        subscription_type: 'stream',
        messages_per_tick: 1,
        tick_interval: 1,
        blocking_timeout_ms: 1000,
        max_retries: 1,
        retry_delay_seconds: 0,
        enable_dlq: false,
        position_update_interval: 1,
        retention_maxlen: 1000,
      },
    ],
    [
      'projection',
      {
        subscription_type: 'event_store',
        messages_per_tick: 100,
        tick_interval: 0,
        blocking_timeout_ms: 5000,
        max_retries: 3,
        retry_delay_seconds: 1,
        enable_dlq: false,
        position_update_interval: 10,
      },
    ],
  ] as const)('%s resolves to its documented values', (profile, values) => {
    expect(
      resolveSubscriptionSettings('AnyHandler', server({ default_subscription_profile: profile })),
    ).toMatchObject({
      ...values,
      subscription_profile: profile,
    });
  });

  it('uses the built-in defaults when no profile is named: event_store, so no DLQ', () => {
    expect(DEFAULT_SUBSCRIPTION_SETTINGS.subscription_type).toBe('event_store');
    expect(resolveSubscriptionSettings('AnyHandler', server())).toEqual({
      ...DEFAULT_SUBSCRIPTION_SETTINGS,
      enable_dlq: false,
      subscription_profile: null,
    });
  });

  it('keeps stream where a domain.toml sets it, with the DLQ on', () => {
    expect(
      resolveSubscriptionSettings('AnyHandler', server({ default_subscription_type: 'stream' })),
    ).toEqual({
      ...DEFAULT_SUBSCRIPTION_SETTINGS,
      subscription_type: 'stream',
      subscription_profile: null,
    });
  });

  it('reads a broker stream for subscribers whatever the type says, other settings resolved', () => {
    const settings = resolveSubscriptionSettings(
      'ExternalOrdersSubscriber',
      server({ default_subscription_type: 'event_store', messages_per_tick: 7 }),
      {},
      { brokerStream: true },
    );
    expect(settings).toMatchObject({
      subscription_type: 'stream',
      enable_dlq: true,
      messages_per_tick: 7,
    });
  });
});

describe('subscription settings precedence', () => {
  it('a chosen profile wins over the built-in defaults', () => {
    const settings = resolveSubscriptionSettings(
      'H',
      server({ default_subscription_profile: 'batch' }),
    );
    expect(settings.messages_per_tick).toBe(500);
  });

  it('[server] keys win over the profile', () => {
    const settings = resolveSubscriptionSettings(
      'H',
      server({ default_subscription_profile: 'batch', messages_per_tick: 7 }),
    );
    expect(settings).toMatchObject({ messages_per_tick: 7, max_retries: 5 });
  });

  it('[server.subscriptions.<Handler>] wins over [server], matched case-insensitively', () => {
    const config = server({
      messages_per_tick: 7,
      subscriptions: { catalogprojector: { messages_per_tick: 25 } },
    });
    expect(resolveSubscriptionSettings('CatalogProjector', config).messages_per_tick).toBe(25);
    expect(resolveSubscriptionSettings('OtherHandler', config).messages_per_tick).toBe(7);
  });

  it('a profile named for one handler sits above [server] keys but below that handler section', () => {
    const config = server({
      messages_per_tick: 7,
      max_retries: 9,
      subscriptions: { H: { subscription_profile: 'fast', messages_per_tick: 25 } },
    });
    expect(resolveSubscriptionSettings('H', config)).toMatchObject({
      subscription_profile: 'fast',
      messages_per_tick: 25,
      max_retries: 2,
      blocking_timeout_ms: 100,
    });
  });

  it('decorator options win over everything', () => {
    const config = server({
      messages_per_tick: 7,
      subscriptions: { H: { messages_per_tick: 25 } },
    });
    expect(
      resolveSubscriptionSettings('H', config, {
        messages_per_tick: 3,
        subscription_profile: 'debug',
      }),
    ).toMatchObject({
      messages_per_tick: 3,
      max_retries: 1,
      subscription_profile: 'debug',
    });
  });

  it('the projection profile named for a handler makes it an event_store subscription over the server default type', () => {
    const config = server({
      default_subscription_type: 'stream',
      subscriptions: { P: { subscription_profile: 'projection' } },
    });
    expect(resolveSubscriptionSettings('P', config)).toMatchObject({
      subscription_type: 'event_store',
      enable_dlq: false,
    });
    expect(resolveSubscriptionSettings('Q', config).subscription_type).toBe('stream');
  });

  it('refuses a dead-letter stream on an event_store subscription', () => {
    expect(() =>
      resolveSubscriptionSettings('P', server(), {
        subscription_type: 'event_store',
        enable_dlq: true,
      }),
    ).toThrow('server.subscriptions.P.enable_dlq');
  });

  it('keeps Protean profile values in one table', () => {
    expect(Object.keys(SUBSCRIPTION_PROFILE_VALUES)).toEqual([
      'production',
      'fast',
      'batch',
      'debug',
      'projection',
    ]);
  });
});
