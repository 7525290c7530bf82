import { SpanKind } from '@opentelemetry/api';
import {
  registerInMemoryTracing,
  tracedUnitOfWork,
  type InMemoryTracing,
} from '../../../../../test/support/in-memory-tracing.js';
import { StreamPartitions } from '../../core/messages/stream-partitions.js';
import type { ClaimedMessage } from '../../ports/outbox/outbox-store.port.js';
import { endSends, startSends } from './send-spans.js';

const streams = new StreamPartitions({});

const row = (id: number, headers: Record<string, string>): ClaimedMessage => ({
  id,
  messageId: `m-${id}`,
  stream: `shop::order-${id}`,
  data: JSON.stringify({ id: `m-${id}`, metadata: { headers } }),
  retryCount: 0,
  createdAt: Date.now(),
});

describe('the outbox rows’ send spans', () => {
  it('costs nothing for rows no traced commit wrote, with or without an SDK', () => {
    expect(startSends([row(1, {})], streams, 'redis')).toBeUndefined();
    const tracing = registerInMemoryTracing();
    try {
      expect(
        startSends([row(1, {}), row(2, { 'x-other': 'y' })], streams, 'redis'),
      ).toBeUndefined();
    } finally {
      tracing.disable();
    }
  });

  describe('with an SDK registered', () => {
    let tracing: InMemoryTracing;
    beforeAll(() => {
      tracing = registerInMemoryTracing();
    });
    afterAll(() => tracing.disable());
    beforeEach(() => tracing.reset());

    it('sends each traced row in its producer’s trace, linked to its commit, failed or held as it went', async () => {
      const [a, b, c] = [tracedUnitOfWork(), tracedUnitOfWork(), tracedUnitOfWork()];
      const rows = [row(1, a.headers), row(2, b.headers), row(3, c.headers), row(4, {})];
      const spans = startSends(rows, streams, 'redis_pubsub')!;
      expect([...spans.keys()]).toEqual([1, 2, 3]);
      endSends(spans, {
        published: [rows[0], rows[3]],
        failed: [{ message: rows[1], error: 'too large' }],
        held: [rows[2]],
        unavailable: 'connection refused',
      });

      const sent = (await tracing.finished()).filter(({ name }) => name.startsWith('send'));
      expect(sent).toHaveLength(3);
      const [first, failed, held] = sent;
      expect(first).toMatchObject({
        name: 'send shop::order',
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'redis',
          'messaging.operation.type': 'send',
          'messaging.destination.name': 'shop::order',
          'messaging.message.id': 'm-1',
          'protean.outbox.row_id': 1,
        },
      });
      expect(first.spanContext().traceId).toBe(a.producer.traceId);
      expect(first.parentSpanContext?.spanId).toBe(a.producer.spanId);
      expect(first.links.map(({ context: linked }) => linked.spanId)).toEqual([a.commit.spanId]);
      expect(first.status.code).toBe(0);
      expect(failed.status).toMatchObject({ code: 2, message: 'too large' });
      expect(held.events.map(({ name }) => name)).toEqual(['held']);
    });
  });
});
