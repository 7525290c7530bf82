import type { BrokerConfig } from '../../core/config/config.schema.js';
import { createBroker } from './create-broker.js';
import { InlineBroker } from '../memory/inline-broker/inline.broker.js';
import { RedisPubSubBroker } from '../redis/pubsub/redis-pubsub.broker.js';
import { RedisStreamsBroker } from '../redis/streams/redis-streams.broker.js';

const config = (provider: BrokerConfig['provider']): BrokerConfig => ({
  provider,
  uri: provider === 'inline' ? undefined : 'redis://127.0.0.1:1',
  max_payload_bytes: 1024 * 1024,
  max_stream_length: 0,
});

describe('createBroker', () => {
  it.each([
    ['inline', InlineBroker],
    ['redis', RedisStreamsBroker],
    ['redis_pubsub', RedisPubSubBroker],
  ] as const)('builds the %s adapter without connecting', async (provider, adapter) => {
    const broker = createBroker('events', config(provider));
    expect(broker).toBeInstanceOf(adapter);
    expect(broker.name).toBe('events');
    expect(broker.provider).toBe(provider);
    await broker.close();
  });

  it('refuses a Redis provider without a URI, naming the key', () => {
    expect(() => createBroker('events', { ...config('redis'), uri: undefined })).toThrow(
      'Broker "events" (redis) needs a URI: set brokers.events.uri',
    );
  });
});
