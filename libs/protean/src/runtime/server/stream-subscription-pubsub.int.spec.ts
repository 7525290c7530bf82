import { RedisPubSubBroker } from '../../adapters/redis/pubsub/redis-pubsub.broker.js';
import { resolveBrokerSettings } from '../../adapters/brokers/broker-settings.js';
import { eventually } from '../../operations/testing/eventually.js';
import type { MessageProcessor } from './message-processor.js';
import { StreamSubscription } from './stream-subscription.js';
import { DEFAULT_SUBSCRIPTION_SETTINGS } from '../../core/config/subscription-profiles.js';

/**
 * A stream subscription on a broker without the pending-entries role (redis_pubsub): nothing
 * to acknowledge, reclaim or claim, so a retry runs the message again in process.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('StreamSubscription on redis_pubsub', () => {
  const stream = `pubsub-subscription-${process.pid}-${Date.now()}`;
  const broker = new RedisPubSubBroker(
    'default',
    resolveBrokerSettings({
      provider: 'redis_pubsub',
      uri: REDIS_URL,
      max_payload_bytes: 1024 * 1024,
      max_stream_length: 0,
    }),
  );

  afterAll(() => broker.close());

  it('handles and retries a message without acknowledging or claiming it', async () => {
    const attempts: string[] = [];
    const processor: MessageProcessor = {
      group: 'G',
      stream,
      decode: (message) => ({
        key: message.id,
        run: async () => {
          attempts.push(message.id);
          if (attempts.length === 1) throw new Error('first attempt fails');
        },
      }),
    };
    const subscription = new StreamSubscription(
      broker,
      processor,
      {
        ...DEFAULT_SUBSCRIPTION_SETTINGS,
        subscription_profile: null,
        blocking_timeout_ms: 10,
        retry_delay_seconds: 0,
        max_retry_delay_seconds: 0,
        concurrency: 1,
      },
      'c1',
    );
    expect('ack' in broker).toBe(false);
    await subscription.start();
    try {
      await broker.publish({ stream, data: '{}' });
      await eventually(async () => attempts.length === 2, { what: 'the retry' });
      expect(new Set(attempts).size).toBe(1);
    } finally {
      subscription.stopReading();
      await subscription.drain(Date.now() + 1000);
      await subscription.stopped();
    }
  });
});
