import { type Broker, createBroker, type BrokerConfig } from 'nestjs-protean';

/** A `redis` (or `redis_pubsub`) broker on `uri` with the schema defaults plus `overrides`. */
export const redisBroker = (
  uri: string,
  overrides: Partial<BrokerConfig> = {},
  name = 'default',
): Broker =>
  createBroker(name, {
    provider: 'redis',
    uri,
    max_payload_bytes: 1024 * 1024,
    max_stream_length: 0,
    ...overrides,
  });
