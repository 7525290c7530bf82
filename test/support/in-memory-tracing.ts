import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { proteanTracer } from '../../libs/protean/src/core/tracing/protean-tracer.js';
import {
  COMMIT_HEADER,
  traceHeaders,
  traceparentOf,
} from '../../libs/protean/src/core/tracing/trace-context.js';

/** An OpenTelemetry SDK registered for a test, keeping finished spans in memory. */
export interface InMemoryTracing {
  /** The spans finished so far. */
  finished(): Promise<ReadableSpan[]>;
  /** Forgets the spans finished so far. */
  reset(): void;
  /** Unregisters everything: the API's no-op tracer, context and propagator again. */
  disable(): void;
}

/** Registers what an application's SDK set-up does (ALS context, W3C propagator), in memory. */
export function registerInMemoryTracing(): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    finished: async () => {
      await provider.forceFlush();
      return exporter.getFinishedSpans();
    },
    reset: () => exporter.reset(),
    disable: () => {
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/**
 * The headers a traced unit of work stamps on its messages — its producer's trace context and
 * its commit's (`COMMIT_HEADER`) — with the two spans' contexts, ended; under a registered SDK.
 */
export function tracedUnitOfWork() {
  const producer = proteanTracer().startSpan('process command PlaceOrder');
  const active = trace.setSpan(ROOT_CONTEXT, producer);
  const commit = proteanTracer().startSpan('commit', {}, active);
  const headers = context.with(active, traceHeaders);
  headers[COMMIT_HEADER] = traceparentOf(commit);
  commit.end();
  producer.end();
  return { headers, producer: producer.spanContext(), commit: commit.spanContext() };
}
