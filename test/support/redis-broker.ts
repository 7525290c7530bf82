import { createBroker, type BrokerConfig, type StreamBroker } from 'nestjs-protean';

/**
 * A `redis` broker on `uri` with the schema defaults plus `overrides`, with every role; a
 * `redis_pubsub` one (by `overrides.provider`) has only those its capabilities promise.
 */
export const redisBroker = (
  uri: string,
  overrides: Partial<BrokerConfig> = {},
  name = 'default',
): StreamBroker =>
  createBroker(name, {
    provider: 'redis',
    uri,
    max_payload_bytes: 1024 * 1024,
    max_stream_length: 0,
    ...overrides,
  }) as StreamBroker;
