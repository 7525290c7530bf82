import { createBroker } from 'nestjs-protean';
import { REDIS_URL } from '../../support/redis.js';
import { describeBrokerConformance } from 'nestjs-protean/testing';

describeBrokerConformance('redis_pubsub', {
  create: (overrides) =>
    createBroker('default', {
      provider: 'redis_pubsub',
      uri: REDIS_URL,
      max_payload_bytes: 1024 * 1024,
      max_stream_length: 0,
      ...overrides,
    }),
});
