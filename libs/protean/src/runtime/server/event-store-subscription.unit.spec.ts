import type { RegisteredHandler } from '../../model/handler-registry.js';
import { PermanentError } from '../../core/errors/permanent.error.js';
import type { StoredEvent } from '../../ports/event-store/event-store.port.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';
import type { MessageHop } from '../../core/messages/message-hops.js';
import { NO_OBSERVER } from './subscription-observer.js';
import { DEFAULT_SUBSCRIPTION_SETTINGS } from '../../core/config/subscription-profiles.js';
import { subscriptionOverEvents } from '../../../../../test/support/event-store-subscription-stub.js';
import { ManualClock } from '../../../../../test/support/manual-clock.js';
import { registerInMemoryTracing } from '../../../../../test/support/in-memory-tracing.js';
import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { proteanTracer } from '../../core/tracing/protean-tracer.js';
import { traceHeaders } from '../../core/tracing/trace-context.js';

class Shipped {
  outcome!: string;
}

const event = (position: number, outcome: string): StoredEvent => ({
  globalPosition: position,
  streamPosition: position,
  envelope: {
    id: `e${position}`,
    type: 'shop.Shipped.v1',
    stream: `shop::parcel-${position}`,
    kind: 'EVENT',
    payload: { outcome },
    metadata: { correlationId: `c${position}`, time: '2026-12-04T00:00:00Z', version: 1 },
  } as unknown as MessageEnvelope,
});

/** A handler of `shop.Shipped.v1` on `shop::parcel` that runs `invoke` with each message's outcome. */
const shippingHandler = (invoke: (outcome: string) => Promise<unknown>): RegisteredHandler =>
  ({
    name: 'ShippingHandler',
    streams: ['shop::parcel'],
    routes: new Map([
      [
        'shop.Shipped.v1',
        {
          messageClass: Shipped,
          invoke: (message: object) => invoke((message as Shipped).outcome),
        },
      ],
    ]),
  }) as unknown as RegisteredHandler;

describe('EventStoreSubscription failures', () => {
  it('skips a permanent failure at once, without the retries an ordinary failure gets', async () => {
    const tries = new Map<string, number>();
    const handled: string[] = [];
    const handler = shippingHandler(async (outcome) => {
      tries.set(outcome, (tries.get(outcome) ?? 0) + 1);
      if (outcome === 'permanent') throw new PermanentError('parcel 1 does not exist');
      handled.push(outcome);
    });
    const events = [event(1, 'permanent'), event(2, 'ok')];
    const subscription = subscriptionOverEvents(handler, events, {
      ...DEFAULT_SUBSCRIPTION_SETTINGS,
      subscription_profile: null,
      max_retries: 3,
      retry_delay_seconds: 10, // one ordinary retry would outlast the test
    });

    await subscription.start();
    const deadline = Date.now() + 5_000;
    while (!handled.includes('ok') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    subscription.stopReading();
    await subscription.drain(Date.now() + 1000);

    expect(handled).toEqual(['ok']);
    expect(tries.get('permanent')).toBe(1);
  });
});

describe('EventStoreSubscription kinds', () => {
  it('delivers only the kinds it is given: events processed sync are not handled again', async () => {
    class Ship {
      parcel!: string;
    }
    const handled: string[] = [];
    const route = (messageClass: new () => object) => ({
      messageClass,
      invoke: async (message: object) => void handled.push(JSON.stringify(message)),
    });
    const handler = {
      name: 'ParcelHandler',
      streams: ['shop::parcel', 'shop::parcel:command'],
      routes: new Map([
        ['shop.Shipped.v1', route(Shipped)],
        ['shop.Ship.v1', route(Ship)],
      ]),
    } as unknown as RegisteredHandler;
    const command: StoredEvent = {
      globalPosition: 2,
      streamPosition: 1,
      envelope: {
        ...event(2, 'unused').envelope,
        id: 'c2',
        type: 'shop.Ship.v1',
        stream: 'shop::parcel:command-2',
        kind: 'COMMAND',
        payload: { parcel: 'p2' },
      },
    };
    const events = [event(1, 'sync, handled already'), command];
    const subscription = subscriptionOverEvents(
      handler,
      events,
      { ...DEFAULT_SUBSCRIPTION_SETTINGS, subscription_profile: null },
      { kinds: new Set(['COMMAND']) },
    );

    await subscription.start();
    const deadline = Date.now() + 5_000;
    while (handled.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    // In order: the event at position 1 was passed over before the command at 2 was handled.
    subscription.stopReading();
    await subscription.drain(Date.now() + 1000);

    expect(handled).toEqual([JSON.stringify({ parcel: 'p2' })]);
  });
});

describe('EventStoreSubscription hops', () => {
  it('reports each handled event: from its time to the read, from the read to its start, and its run', async () => {
    const hops: Array<[MessageHop, number]> = [];
    const handled: string[] = [];
    const handler = {
      name: 'ShippingHandler',
      streams: ['shop::parcel'],
      routes: new Map([
        [
          'shop.Shipped.v1',
          {
            messageClass: Shipped,
            invoke: async (message: object) => void handled.push((message as Shipped).outcome),
          },
        ],
      ]),
    } as unknown as RegisteredHandler;
    // Read two seconds after the events were created (their `time`).
    const clock = new ManualClock(Date.parse('2026-12-04T00:00:02Z'));
    const subscription = subscriptionOverEvents(
      handler,
      [event(1, 'first'), event(2, 'second')],
      { ...DEFAULT_SUBSCRIPTION_SETTINGS, subscription_profile: null },
      { clock, observer: { ...NO_OBSERVER, hop: (_g, _s, hop, ms) => void hops.push([hop, ms]) } },
    );

    await subscription.start();
    const deadline = Date.now() + 5_000;
    while (handled.length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    subscription.stopReading();
    await subscription.drain(clock.now() + 1000);

    expect(hops.map(([hop]) => hop)).toEqual([
      'published_to_read',
      'read_to_started',
      'handler',
      'published_to_read',
      'read_to_started',
      'handler',
    ]);
    expect(hops.filter(([hop]) => hop === 'published_to_read').map(([, ms]) => ms)).toEqual([
      2000, 2000,
    ]);
    for (const [, ms] of hops) expect(ms).toBeGreaterThanOrEqual(0);
  });
});

describe('EventStoreSubscription drain', () => {
  it('returns by the deadline though a handler never settles, keeping the checkpoint of what was handled', async () => {
    const handled: string[] = [];
    let hanging = false;
    const handler = shippingHandler(async (outcome) => {
      if (outcome === 'hangs') return ((hanging = true), new Promise(() => undefined));
      handled.push(outcome);
    });
    const clock = new ManualClock();
    const checkpoints: number[] = [];
    const subscription = subscriptionOverEvents(
      handler,
      [event(1, 'ok'), event(2, 'hangs'), event(3, 'ok')],
      { ...DEFAULT_SUBSCRIPTION_SETTINGS, subscription_profile: null },
      { clock, checkpoints },
    );

    await subscription.start();
    const started = Date.now();
    while (!hanging && Date.now() < started + 5_000)
      await new Promise((resolve) => setTimeout(resolve, 5));
    subscription.stopReading();
    let drained = false;
    const draining = subscription.drain(clock.now() + 30_000).then(() => (drained = true));
    await clock.advance(29_999);
    expect(drained).toBe(false);
    await clock.advance(1);
    await draining;

    expect(handled).toEqual(['ok']);
    expect(checkpoints).toEqual([1]);
  });
});

describe('EventStoreSubscription traces', () => {
  it('makes each attempt a span continuing the producer’s trace: a failed one with its retry, then the one that handled it', async () => {
    const tracing = registerInMemoryTracing();
    try {
      const producer = proteanTracer().startSpan('process command Ship');
      const headers = context.with(trace.setSpan(ROOT_CONTEXT, producer), traceHeaders);
      producer.end();
      const traced = event(1, 'flaky');
      const events = [
        {
          ...traced,
          envelope: { ...traced.envelope, metadata: { ...traced.envelope.metadata, headers } },
        },
      ];
      let tries = 0;
      let inSpan: string | undefined;
      const handler = shippingHandler(async () => {
        inSpan = trace.getActiveSpan()?.spanContext().traceId;
        if (++tries === 1) throw new Error('not yet');
      });
      const subscription = subscriptionOverEvents(handler, events, {
        ...DEFAULT_SUBSCRIPTION_SETTINGS,
        subscription_profile: null,
        retry_delay_seconds: 0.01,
      });
      await subscription.start();
      const deadline = Date.now() + 5_000;
      while (tries < 2 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 5));
      subscription.stopReading();
      await subscription.drain(Date.now() + 1000);

      const attempts = (await tracing.finished()).filter((s) => s.name === 'process $event_store');
      expect(attempts.map((s) => [s.attributes['protean.attempt'], s.status.code])).toEqual([
        [1, 2],
        [2, 0],
      ]);
      for (const span of attempts) {
        expect(span).toMatchObject({
          kind: SpanKind.CONSUMER,
          attributes: {
            'messaging.system': 'memory',
            'messaging.destination.name': '$event_store',
            'messaging.consumer.group.name': 'ShippingHandler',
            'messaging.message.id': 'e1',
            'protean.event_store.position': 1,
          },
        });
        expect(span.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
      }
      expect(attempts[0].events.map((e) => e.name)).toEqual(['exception', 'retry_scheduled']);
      expect(inSpan).toBe(producer.spanContext().traceId);
    } finally {
      tracing.disable();
    }
  });
});
