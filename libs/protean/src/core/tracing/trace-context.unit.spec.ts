import 'reflect-metadata';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type TextMapPropagator,
} from '@opentelemetry/api';
import {
  registerInMemoryTracing,
  type InMemoryTracing,
} from '../../../../../test/support/in-memory-tracing.js';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { EnvelopeFactory } from '../messages/envelope-factory.js';
import { DomainCommand } from '../messages/message.decorators.js';
import { linkOf, traceContextOf, traceHeaders, traceparentOf } from './trace-context.js';
import { inSpan, proteanTracer } from './protean-tracer.js';

@DomainCommand({ category: 'ticket', identifiedBy: 'id' })
class OpenTicket {
  id = 'ticket-1';
}

const envelopes = new EnvelopeFactory('tracing');
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

describe('trace context without an SDK', () => {
  it('leaves the headers of a new envelope empty, even inside a span', async () => {
    expect(traceHeaders()).toEqual({});
    await inSpan('process command OpenTicket', () => {
      expect(envelopes.command(new OpenTicket()).metadata.headers).toEqual({});
      return Promise.resolve();
    });
  });

  it('continues no trace: a message with one starts from the root context', () => {
    const headers = { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` };
    // The API's no-op propagator reads nothing: the span under it is not recording either.
    expect(trace.getSpanContext(traceContextOf(headers))).toBeUndefined();
  });
});

describe('trace context with an SDK registered', () => {
  let tracing: InMemoryTracing;
  const finished = () => tracing.finished();

  beforeAll(() => {
    tracing = registerInMemoryTracing();
  });

  afterAll(() => tracing.disable());

  beforeEach(() => tracing.reset());

  it('injects the active span into a new envelope, and nothing outside any span', async () => {
    expect(envelopes.command(new OpenTicket()).metadata.headers).toEqual({});
    let headers: Readonly<Record<string, string>> = {};
    await inSpan('process command OpenTicket', () => {
      headers = envelopes.command(new OpenTicket()).metadata.headers;
      return Promise.resolve();
    });
    const [span] = await finished();
    expect(span.name).toBe('process command OpenTicket');
    expect(headers.traceparent).toMatch(TRACEPARENT);
    expect(headers.traceparent).toContain(
      `${span.spanContext().traceId}-${span.spanContext().spanId}`,
    );
  });

  it('injects nothing for an invalid span context', () => {
    const invalid = trace.wrapSpanContext({
      traceId: '0'.repeat(32),
      spanId: '0'.repeat(16),
      traceFlags: 1,
    });
    context.with(trace.setSpan(ROOT_CONTEXT, invalid), () => expect(traceHeaders()).toEqual({}));
  });

  it('continues the trace a message carries, as a remote parent', () => {
    const producer = proteanTracer().startSpan('producer');
    const headers = context.with(trace.setSpan(ROOT_CONTEXT, producer), traceHeaders);
    producer.end();
    const parent = trace.getSpanContext(traceContextOf(headers));
    const { traceId, spanId } = producer.spanContext();
    expect(parent).toMatchObject({ traceId, spanId, isRemote: true });
  });

  it('starts a new trace for an external entry without trace context', async () => {
    const ambient = proteanTracer().startSpan('ambient');
    const entries: Array<Record<string, string> | undefined> = [
      undefined,
      {},
      { 'x-request-id': 'r-1' },
    ];
    for (const headers of entries) {
      const entry = context.with(trace.setSpan(ROOT_CONTEXT, ambient), () =>
        traceContextOf(headers),
      );
      proteanTracer().startSpan('process bookshelf::order', {}, entry).end();
    }
    ambient.end();
    const spans = (await finished()).filter(({ name }) => name !== 'ambient');
    expect(spans).toHaveLength(3);
    for (const span of spans) {
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.spanContext().traceId).not.toBe(ambient.spanContext().traceId);
    }
  });

  it('never throws on hostile headers: they start a new trace', () => {
    const hostile: unknown[] = [
      null,
      'traceparent',
      ['00-x'],
      { traceparent: 42 },
      { traceparent: 'garbage', tracestate: '\u0000'.repeat(10_000) },
      { traceparent: `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01` },
      { traceparent: `ff-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
      JSON.parse('{"__proto__": {"traceparent": "x"}, "traceparent": "00-1-2-3"}'),
      Object.defineProperty({}, 'traceparent', {
        enumerable: true,
        get: () => {
          throw new Error('hostile getter');
        },
      }),
    ];
    for (const headers of hostile) {
      let extracted: Context | undefined;
      expect(() => {
        extracted = traceContextOf(headers as Record<string, string>);
      }).not.toThrow();
      expect(trace.getSpanContext(extracted!)).toBeUndefined();
    }
  });

  it('never throws when the propagator does', () => {
    const throwing: TextMapPropagator = {
      inject: () => undefined,
      extract: () => {
        throw new Error('broken propagator');
      },
      fields: () => [],
    };
    propagation.disable();
    propagation.setGlobalPropagator(throwing);
    try {
      expect(traceContextOf({ traceparent: 'x' })).toBe(ROOT_CONTEXT);
    } finally {
      propagation.disable();
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    }
  });

  it('links to the span a traceparent names, and to nothing for anything else', () => {
    const commit = proteanTracer().startSpan('commit');
    commit.end();
    const [link] = linkOf(traceparentOf(commit));
    expect(link.context).toMatchObject({
      traceId: commit.spanContext().traceId,
      spanId: commit.spanContext().spanId,
    });
    for (const value of [undefined, '', 'x', `00-${'0'.repeat(32)}-${'b'.repeat(16)}-01`])
      expect(linkOf(value)).toEqual([]);
  });

  it('fails the span of a rejected run, and rethrows', async () => {
    await expect(
      inSpan('handle tracing.OpenTicket.v1', () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    const [span] = await finished();
    expect(span.status).toMatchObject({ code: 2, message: 'boom' });
    expect(span.events.map(({ name }) => name)).toEqual(['exception']);
  });
});
