import {
  context,
  ProxyTracerProvider,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { messageOf } from '../errors/error-message.js';

/** The instrumentation scope of every span Protean starts. */
export const TRACER_NAME = 'nestjs-protean';

/** What an unset {@link ProxyTracerProvider} delegates to: the API's no-op provider. */
const NO_OP_PROVIDER = new ProxyTracerProvider().getDelegate();

/**
 * Whether a tracer provider is registered now: `false` while the API's global provider still
 * delegates to its no-op one (no SDK), when every span would be a non-recording one. Asked on
 * each hot-path call, never cached: an SDK registered later (or disabled) is noticed at once.
 * A provider this copy of the API cannot see through (another copy's) counts as registered.
 */
export function tracingRegistered(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NO_OP_PROVIDER;
}

let cached: { readonly provider: TracerProvider; readonly tracer: Tracer } | undefined;

/**
 * Protean's tracer, from the tracer provider registered now (an SDK the application set up, or
 * the API's no-op one): looked up again whenever the registration changed, so an SDK started
 * after Protean's modules were imported is still used.
 */
export function proteanTracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (cached?.provider !== provider) cached = { provider, tracer: provider.getTracer(TRACER_NAME) };
  return cached.tracer;
}

/** Starts an `INTERNAL` span (unless `options` says otherwise) under `parent`, not yet active. */
export function startSpan(
  name: string,
  options: SpanOptions = {},
  parent: Context = context.active(),
): Span {
  return proteanTracer().startSpan(name, options, parent);
}

/** Marks `span` failed: status `ERROR` with the error's message, the exception recorded. */
export function failSpan(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  span.recordException(error instanceof Error ? error : messageOf(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
}

/**
 * Runs `work` with `span` active under `parent` and ends the span when it settles (failed on a
 * rejection). A span that records nothing (no SDK) costs no context switch and no promise.
 */
export function withSpan<T>(
  span: Span,
  work: () => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  if (!span.isRecording()) return work();
  // Async: a synchronous throw of `work` rejects, and ends the span, too.
  return context
    .with(trace.setSpan(parent, span), async () => work())
    .then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        failSpan(span, error);
        span.end();
        throw error;
      },
    );
}

/**
 * Runs `work` in a new active `INTERNAL` span named `name`, ended when it settles. Without a
 * tracer provider it just runs: no span, no context.
 */
export function inSpan<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!tracingRegistered()) return work();
  const parent = context.active();
  return withSpan(startSpan(name, { kind: SpanKind.INTERNAL }, parent), work, parent);
}

/** The `messaging.system` of a broker provider (`redis`, `redis_pubsub`: `redis`). */
export const messagingSystemOf = (provider: string): string =>
  provider.startsWith('redis') ? 'redis' : provider;

/**
 * Runs `work(arg)` in a child span `<verb> <subject>` of the active span, when that one records:
 * the hot path's spans (a handler's run) cost one lookup, and neither a name nor a closure, when
 * nothing is traced.
 */
export function inChildSpan<A, T>(
  verb: string,
  subject: string,
  work: (arg: A) => Promise<T>,
  arg: A,
): Promise<T> {
  if (!tracingRegistered()) return work(arg);
  const parent = context.active();
  if (trace.getSpan(parent)?.isRecording() !== true) return work(arg);
  const span = startSpan(`${verb} ${subject}`, { kind: SpanKind.INTERNAL }, parent);
  return withSpan(span, () => work(arg), parent);
}
