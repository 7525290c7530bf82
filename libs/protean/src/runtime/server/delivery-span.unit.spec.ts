import { jest } from '@jest/globals';
import { context, propagation, ProxyTracer, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { registerInMemoryTracing } from '../../../../../test/support/in-memory-tracing.js';
import { inChildSpan, tracingRegistered } from '../../core/tracing/protean-tracer.js';
import type { ReceivedMessage } from '../../ports/broker/broker.port.js';
import { startDelivery, type DeliverySource } from './delivery-span.js';
import type { DecodedMessage } from './message-processor.js';

/**
 * The hot path without an SDK: an attempt and its handler's run do no tracing work at all (no
 * trace context extracted, no span started, no context switch), whatever else the application
 * registered; and an SDK registered later is traced from its next attempt on.
 */
const STREAM = 'bookshelf::book';
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const source: DeliverySource = {
  processor: { group: 'CatalogProjector', stream: STREAM, decode: () => undefined },
  consumer: 'consumer-1',
  provider: 'redis',
  spanName: `process ${STREAM}`,
};
const message: ReceivedMessage = { id: '1-0', stream: STREAM, data: '{}', deliveryCount: 1 };
const decoded: DecodedMessage = {
  key: 'book-1',
  type: 'bookshelf.BookAdded.v1',
  messageId: 'm-1',
  headers: { traceparent: TRACEPARENT },
  run: () => Promise.resolve(),
};

describe('delivery spans', () => {
  afterEach(() => jest.restoreAllMocks());

  describe('without a tracer provider (a propagator and a context manager registered)', () => {
    beforeAll(() => {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    });
    afterAll(() => {
      propagation.disable();
      context.disable();
    });

    it('extracts nothing and starts no span for an attempt', () => {
      const extract = jest.spyOn(propagation, 'extract');
      const startSpan = jest.spyOn(ProxyTracer.prototype, 'startSpan');
      expect(tracingRegistered()).toBe(false);
      expect(startDelivery(source, message, decoded)).toBeUndefined();
      expect(extract).not.toHaveBeenCalled();
      expect(startSpan).not.toHaveBeenCalled();
    });

    it('runs a handler in the context it was given, without a span or a context switch', async () => {
      const startSpan = jest.spyOn(ProxyTracer.prototype, 'startSpan');
      const switched = jest.spyOn(context, 'with');
      let handled: string | undefined;
      await inChildSpan(
        'handle',
        'bookshelf.BookAdded.v1',
        (id: string) => Promise.resolve(void (handled = id)),
        'm-1',
      );
      expect(handled).toBe('m-1');
      expect(startSpan).not.toHaveBeenCalled();
      expect(switched).not.toHaveBeenCalled();
    });
  });

  it('traces an attempt from the moment an SDK is registered, and no more once it is gone', async () => {
    expect(startDelivery(source, message, decoded)).toBeUndefined();

    const tracing = registerInMemoryTracing();
    try {
      expect(tracingRegistered()).toBe(true);
      const delivery = startDelivery(source, message, decoded);
      expect(delivery?.span.isRecording()).toBe(true);
      delivery!.span.end();
      const [span] = await tracing.finished();
      expect(span).toMatchObject({
        name: `process ${STREAM}`,
        kind: SpanKind.CONSUMER,
        attributes: { 'messaging.message.id': 'm-1', 'protean.attempt': 1 },
      });
      expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(span.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
      expect(trace.getSpan(delivery!.active)).toBe(delivery!.span);
    } finally {
      tracing.disable();
    }
    expect(tracingRegistered()).toBe(false);
    expect(startDelivery(source, message, decoded)).toBeUndefined();
  });
});
