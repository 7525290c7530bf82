import type { MessageHandler } from '@nestjs/microservices';
import { loadConfiguration } from '../../core/config/load-configuration.js';
import type {
  HandlerRegistry,
  RegisteredHandler,
  RegisteredSubscriber,
} from '../../model/handler-registry.js';
import { SubscriptionPlan } from './subscription-plan.js';

const config = (overrides: Record<string, unknown> = {}) =>
  loadConfiguration({
    embedded: true,
    overrides: {
      server: { default_subscription_type: 'stream' },
      outbox: { broker: 'orders' },
      brokers: {
        default: { provider: 'inline' },
        orders: { provider: 'inline' },
        partners: { provider: 'inline' },
      },
      ...overrides,
    },
  });

const handler = (name: string, streams: string[], options = {}) =>
  ({ name, streams, options }) as unknown as RegisteredHandler;
const subscriber = (name: string, stream: string, broker?: string) =>
  ({ name, options: { stream, broker } }) as unknown as RegisteredSubscriber;
const registry = (handlers: RegisteredHandler[], subscribers: RegisteredSubscriber[] = []) =>
  ({ handlers: () => handlers, subscribers: () => subscribers }) as unknown as HandlerRegistry;

describe('SubscriptionPlan', () => {
  it('plans one subscription per handler and stream, one per subscriber, on their brokers', () => {
    const plan = new SubscriptionPlan(
      config(),
      registry(
        [
          handler('BookProjector', ['shop::book', 'shop::order']),
          handler('OrderLedger', ['shop::order'], { subscription_type: 'event_store' }),
        ],
        [subscriber('PaymentsSubscriber', 'payments', 'partners')],
      ),
    );
    expect(plan.subscriptions()).toEqual([
      {
        handler: 'BookProjector',
        stream: 'shop::book',
        type: 'stream',
        profile: null,
        broker: 'orders',
      },
      {
        handler: 'BookProjector',
        stream: 'shop::order',
        type: 'stream',
        profile: null,
        broker: 'orders',
      },
      {
        handler: 'OrderLedger',
        stream: '$event_store',
        type: 'event_store',
        profile: null,
        broker: undefined,
      },
      {
        handler: 'PaymentsSubscriber',
        stream: 'payments',
        type: 'stream',
        profile: null,
        broker: 'partners',
      },
    ]);
    expect(plan.brokers()).toEqual(['orders', 'partners']);
  });

  it('adds the engine’s @EventPattern handlers on the default broker, and the start-up check sees them', () => {
    const plan = new SubscriptionPlan(
      config(),
      registry([handler('BookProjector', ['shop::book'])]),
    );
    const patterns = new Map([
      ['audit', { extras: { group: 'Audit' } } as unknown as MessageHandler],
    ]);
    plan.addEventPatterns(patterns);
    expect(plan.subscriptions().at(-1)).toEqual({
      handler: 'Audit',
      stream: 'audit',
      type: 'stream',
      profile: null,
      broker: 'default',
    });
    expect(plan.brokers()).toEqual(['orders', 'default']);
    expect(plan.workerSubscriptions()).toEqual([
      { handler: 'BookProjector', type: 'stream', broker: 'orders', options: {} },
      { handler: "@EventPattern('audit')", type: 'stream', broker: 'default', external: true },
    ]);
  });

  it('resolves each subscription’s settings as the engine opens it (profile, then keys)', () => {
    const plan = new SubscriptionPlan(
      config({ server: { default_subscription_profile: 'production' } }),
      registry([handler('BookProjector', ['shop::book'], { messages_per_tick: 7 })]),
    );
    const [entry] = plan.entries();
    expect(entry.subscription).toMatchObject({ type: 'stream', profile: 'production' });
    expect(entry.settings.messages_per_tick).toBe(7);
    expect(entry.reader.kind).toBe('handler');
  });

  it('shows a partitioned category once per partition stream, where its lag and dead letters are', () => {
    const plan = new SubscriptionPlan(
      config({ streams: { 'shop::order': { partitions: 3 } } }),
      registry([handler('OrderLedger', ['shop::order', 'shop::book'])]),
    );
    expect(plan.subscriptions().map((s) => `${s.handler} ${s.stream}`)).toEqual([
      'OrderLedger shop::order#0',
      'OrderLedger shop::order#1',
      'OrderLedger shop::order#2',
      'OrderLedger shop::book',
    ]);
    // The engine opens one subscription for the category, which reads the partitions.
    expect(plan.entries().map((entry) => entry.subscription.stream)).toEqual([
      'shop::order',
      'shop::book',
    ]);
  });
});
