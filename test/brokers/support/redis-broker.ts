import type { Broker } from '#protean/brokers/broker.port';
import { createBroker } from '#protean/brokers/create-broker';
import type { BrokerConfig } from '#protean/config/config.schema';

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
