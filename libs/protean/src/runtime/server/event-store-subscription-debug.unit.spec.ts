import { captureLogs } from '../../../../../test/support/capture-logger.js';
import type { RegisteredHandler } from '../../model/handler-registry.js';
import type { StoredEvent } from '../../ports/event-store/event-store.port.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';
import { SUBSCRIPTION_PROFILE_VALUES } from '../../core/config/subscription-profiles.js';
import { subscriptionOverEvents } from '../../../../../test/support/event-store-subscription-stub.js';

class Shipped {}

const event = (position: number): StoredEvent => ({
  globalPosition: position,
  streamPosition: position,
  envelope: {
    id: `e${position}`,
    type: 'shop.Shipped.v1',
    stream: `shop::parcel-${position}`,
    kind: 'EVENT',
    payload: {},
    metadata: { correlationId: `c${position}`, time: '2026-12-04T00:00:00Z', version: 1 },
  } as unknown as MessageEnvelope,
});

/** Issue 14 §2: an event_store subscription on the `debug` profile traces each event at info. */
describe('EventStoreSubscription on the debug profile', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeAll(() => {
    logs = captureLogs();
  });
  afterAll(() => logs.restore());

  async function run(profile: 'debug' | 'production'): Promise<string[]> {
    logs.logger.lines.length = 0;
    let handled = 0;
    const handler = {
      name: 'ShippingHandler',
      streams: ['shop::parcel'],
      routes: new Map([['shop.Shipped.v1', { messageClass: Shipped, invoke: () => handled++ }]]),
    } as unknown as RegisteredHandler;
    const subscription = subscriptionOverEvents(handler, [event(1), event(2)], {
      ...SUBSCRIPTION_PROFILE_VALUES[profile],
      subscription_profile: profile,
      tick_interval: 0,
    });
    await subscription.start();
    const deadline = Date.now() + 5_000;
    while (handled < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    subscription.stopReading();
    await subscription.drain(Date.now() + 1000);
    expect(handled).toBe(2);
    return logs.logger.lines.filter((line) => line.level === 'log').map((line) => line.message);
  }

  it('logs receipt, outcome with duration and the checkpoint of each event, one info line each', async () => {
    expect(await run('debug')).toEqual([
      'ShippingHandler received shop.Shipped.v1 e1 (attempt 1)',
      expect.stringMatching(
        /^ShippingHandler handled shop\.Shipped\.v1 e1 in \d+\.\d ms \(attempt 1\)$/,
      ),
      'ShippingHandler acked through position 1',
      'ShippingHandler received shop.Shipped.v1 e2 (attempt 1)',
      expect.stringMatching(
        /^ShippingHandler handled shop\.Shipped\.v1 e2 in \d+\.\d ms \(attempt 1\)$/,
      ),
      'ShippingHandler acked through position 2',
    ]);
  });

  it('logs no per-message line on another profile', async () => {
    expect(await run('production')).toEqual([]);
  });
});
