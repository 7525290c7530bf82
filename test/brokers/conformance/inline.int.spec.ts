import { createBroker } from 'nestjs-protean';
import { describeBrokerConformance } from 'nestjs-protean/testing';

describeBrokerConformance('inline', {
  create: (overrides) =>
    createBroker('default', {
      provider: 'inline',
      max_payload_bytes: 1024 * 1024,
      max_stream_length: 0,
      ...overrides,
    }),
});
