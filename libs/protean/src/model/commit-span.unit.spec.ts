import 'reflect-metadata';
import { jest } from '@jest/globals';
import { context, ProxyTracer, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import {
  registerInMemoryTracing,
  type InMemoryTracing,
} from '../../../../test/support/in-memory-tracing.js';
import { EnvelopeFactory } from '../core/messages/envelope-factory.js';
import { DomainEvent } from '../core/messages/message.decorators.js';
import { proteanTracer } from '../core/tracing/protean-tracer.js';
import { COMMIT_HEADER } from '../core/tracing/trace-context.js';
import { CommitSpan } from './commit-span.js';

@DomainEvent({ category: 'ticket' })
class TicketOpened {
  id = 'ticket-1';
}

const envelopes = new EnvelopeFactory('tracing');
describe('CommitSpan', () => {
  it('records nothing and changes no envelope without an SDK', () => {
    const span = new CommitSpan();
    expect(span.recording).toBe(false);
    const [envelope] = span.stamp(() => [envelopes.event(new TicketOpened(), 'ticket-1')]);
    expect(envelope.metadata.headers).toEqual({});
  });

  it('is not even opened without a tracer provider: no span started for a unit of work', () => {
    const startSpan = jest.spyOn(ProxyTracer.prototype, 'startSpan');
    try {
      expect(CommitSpan.open()).toBeUndefined();
      expect(startSpan).not.toHaveBeenCalled();
    } finally {
      startSpan.mockRestore();
    }
  });

  describe('with an SDK registered', () => {
    let tracing: InMemoryTracing;
    beforeAll(() => {
      tracing = registerInMemoryTracing();
    });
    afterAll(() => tracing.disable());
    beforeEach(() => tracing.reset());

    it('makes the events inside the commit, stamps the traced messages with it, under the active span', async () => {
      // Queued outside any trace (an untraced producer): it keeps its headers `{}`.
      const queued = envelopes.event(new TicketOpened(), 'ticket-1');
      const handler = proteanTracer().startSpan('handle tracing.OpenTicket.v1');
      const commit = context.with(trace.setSpan(ROOT_CONTEXT, handler), () => new CommitSpan());
      const [raised, external] = commit.stamp(() => [
        envelopes.event(new TicketOpened(), 'ticket-1'),
        queued,
      ]);
      await commit.settle(Promise.resolve());
      handler.end();

      const [span] = (await tracing.finished()).filter(({ name }) => name === 'commit');
      const { traceId, spanId } = span.spanContext();
      expect(span.parentSpanContext?.spanId).toBe(handler.spanContext().spanId);
      expect(raised.metadata.headers.traceparent).toBe(`00-${traceId}-${spanId}-01`);
      expect(raised.metadata.headers[COMMIT_HEADER]).toBe(`00-${traceId}-${spanId}-01`);
      expect(external.metadata.headers).toEqual({});
    });

    it('is opened once an SDK is registered, recording', () => {
      expect(CommitSpan.open()?.recording).toBe(true);
    });

    it('fails the span of a transaction that rolled back, and rethrows', async () => {
      const commit = new CommitSpan();
      await expect(commit.settle(Promise.reject(new Error('deadlock')))).rejects.toThrow(
        'deadlock',
      );
      const [span] = await tracing.finished();
      expect(span).toMatchObject({ name: 'commit', status: { code: 2, message: 'deadlock' } });
    });
  });
});
