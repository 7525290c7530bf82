import type { BrokerConfig } from '../../core/config/config.schema.js';
import { resolveBrokerSettings } from './broker-settings.js';
import type { Broker } from '../../ports/broker/broker.port.js';
import { BrokerError } from '../../ports/broker/broker.error.js';
import { InlineBroker } from '../memory/inline-broker/inline.broker.js';
import { RedisPubSubBroker } from '../redis/pubsub/redis-pubsub.broker.js';
import { RedisStreamsBroker } from '../redis/streams/redis-streams.broker.js';

/**
 * Builds the adapter a broker's configuration names. Redis adapters connect lazily: the first
 * operation (or `ping()`) opens the connection, and a wrong password fails it within
 * `connect_timeout_ms`.
 */
export function createBroker(name: string, config: BrokerConfig): Broker {
  const settings = resolveBrokerSettings(config);
  switch (config.provider) {
    case 'inline':
      return new InlineBroker(name, settings);
    case 'redis':
      return new RedisStreamsBroker(name, settings);
    case 'redis_pubsub':
      return new RedisPubSubBroker(name, settings);
    default: {
      const provider: never = config.provider;
      throw new BrokerError(
        name,
        `Broker "${name}" has an unknown provider "${String(provider)}"; ` +
          `use inline, redis or redis_pubsub`,
      );
    }
  }
}
