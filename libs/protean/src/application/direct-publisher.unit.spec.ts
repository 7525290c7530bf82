import { SpanKind } from '@opentelemetry/api';
import {
  registerInMemoryTracing,
  tracedUnitOfWork,
  type InMemoryTracing,
} from '../../../../test/support/in-memory-tracing.js';
import { InlineBroker } from '../adapters/memory/inline-broker/inline.broker.js';
import type { ProteanConfig } from '../core/config/config.schema.js';
import type { MessageEnvelope } from '../core/messages/message-envelope.js';
import { DirectPublisher } from './direct-publisher.js';

const config = { outbox: { broker: 'default' }, streams: {} } as unknown as ProteanConfig;

const envelope = (n: number, headers: Record<string, string>): MessageEnvelope => ({
  id: `m-${n}`,
  type: 'shop.OrderPlaced.v1',
  stream: `shop::order-${n}`,
  kind: 'EVENT',
  payload: { n },
  metadata: {
    correlationId: 'c',
    causationId: 'c',
    time: new Date(0).toISOString(),
    version: 1,
    headers,
  },
});

describe('DirectPublisher (enable_outbox = false)', () => {
  let broker: InlineBroker;
  let publisher: DirectPublisher;

  beforeEach(() => {
    broker = new InlineBroker('default', { maxPayloadBytes: 1 << 20, maxStreamLength: 0 });
    publisher = new DirectPublisher(config, { get: () => broker });
  });
  afterEach(() => broker.close());

  it('publishes each message to its category’s stream', async () => {
    await publisher.publish([envelope(1, {}), envelope(2, {})]);
    expect((await broker.streamInfo('shop::order')).length).toBe(2);
  });

  describe('with an SDK registered', () => {
    let tracing: InMemoryTracing;
    beforeAll(() => {
      tracing = registerInMemoryTracing();
    });
    afterAll(() => tracing.disable());
    beforeEach(() => tracing.reset());

    const sends = async () =>
      (await tracing.finished()).filter(({ name }) => name.startsWith('send '));

    it('sends each message a traced unit of work made in its producer’s trace, linked to its commit', async () => {
      const made = tracedUnitOfWork();
      await publisher.publish([envelope(1, made.headers), envelope(2, {})]);
      const [send, ...others] = await sends();
      expect(others).toEqual([]);
      expect(send).toMatchObject({
        name: 'send shop::order',
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'inline',
          'messaging.operation.type': 'send',
          'messaging.destination.name': 'shop::order',
          'messaging.message.id': 'm-1',
        },
      });
      expect(send.parentSpanContext?.spanId).toBe(made.producer.spanId);
      expect(send.links.map(({ context: linked }) => linked.spanId)).toEqual([made.commit.spanId]);
      expect(send.status.code).toBe(0);
    });

    it('fails the spans of a publish the broker refused, and the caller hears of it', async () => {
      await broker.close();
      await expect(publisher.publish([envelope(1, tracedUnitOfWork().headers)])).rejects.toThrow();
      const [send] = await sends();
      expect(send.status.code).toBe(2);
    });
  });
});
