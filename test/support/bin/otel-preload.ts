/*
 * TEST-ONLY preload (`node --import`): what an application's few lines of OpenTelemetry SDK set-up
 * do — a tracer provider, the AsyncLocalStorage context manager and the W3C trace-context
 * propagator — with an exporter that appends every finished span as one JSON line to the file
 * OTEL_SPANS_FILE, for the end-to-end tests to read. Nothing of it is in the product: the
 * library only speaks `@opentelemetry/api`.
 */
import { appendFileSync } from 'node:fs';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  ExportResultCode,
  W3CTraceContextPropagator,
  type ExportResult,
} from '@opentelemetry/core';
import {
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';

/** One finished span, as the tests read it. */
export interface SpanLine {
  readonly pid: number;
  readonly name: string;
  readonly kind: number;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly links: Array<{ traceId: string; spanId: string }>;
  /** Protean's attributes are all scalars. */
  readonly attributes: Record<string, string | number | boolean | undefined>;
  readonly events: Array<{ name: string; attributes: SpanLine['attributes'] }>;
  readonly status: { code: number; message?: string };
}

const lineOf = (span: ReadableSpan): SpanLine => ({
  pid: process.pid,
  name: span.name,
  kind: span.kind,
  traceId: span.spanContext().traceId,
  spanId: span.spanContext().spanId,
  parentSpanId: span.parentSpanContext?.spanId,
  links: span.links.map(({ context: linked }) => ({
    traceId: linked.traceId,
    spanId: linked.spanId,
  })),
  attributes: { ...span.attributes } as SpanLine['attributes'],
  events: span.events.map(({ name, attributes }) => ({
    name,
    attributes: { ...attributes } as SpanLine['attributes'],
  })),
  status: { ...span.status },
});

class JsonLinesExporter implements SpanExporter {
  constructor(private readonly file: string) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    appendFileSync(this.file, spans.map((span) => `${JSON.stringify(lineOf(span))}\n`).join(''));
    done({ code: ExportResultCode.SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const file = process.env.OTEL_SPANS_FILE;
if (file) {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(
    new TracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter: new JsonLinesExporter(file) })],
    }),
  );
}
