import { createBroker } from 'nestjs-protean';
import { deleteStreams, rawRedis, REDIS_URL } from '../../support/redis.js';
import { describeBrokerConformance } from 'nestjs-protean/testing';

const cleaner = rawRedis();
afterAll(() => cleaner.disconnect());

describeBrokerConformance('redis', {
  create: (overrides) =>
    createBroker('default', {
      provider: 'redis',
      uri: REDIS_URL,
      max_payload_bytes: 1024 * 1024,
      max_stream_length: 0,
      ...overrides,
    }),
  cleanup: (streams) => deleteStreams(cleaner, streams),
});
