import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Context,
  type Link,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';

/**
 * The header holding the span context of the commit that wrote a message, in the W3C
 * `traceparent` form: the outbox's `send` span links to it. Set only on traced messages.
 */
export const COMMIT_HEADER = 'protean-commit-traceparent';

/** Reads only the headers' own string values: a hostile `__proto__` or getter yields nothing. */
const ownStrings: TextMapGetter<Readonly<Record<string, string>>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    if (!Object.hasOwn(carrier, key)) return undefined;
    const value = carrier[key];
    return typeof value === 'string' ? value : undefined;
  },
};

/**
 * Headers for a new envelope: the active trace context, injected with the propagator the
 * application registered (the SDK's default is W3C `traceparent` / `tracestate`). Without an
 * active, valid span — no SDK, or no trace in progress — they stay `{}`.
 */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const active = context.active();
  const span = trace.getSpan(active);
  if (span !== undefined && isSpanContextValid(span.spanContext())) {
    propagation.inject(active, headers);
  }
  return headers;
}

/**
 * The trace context a message carries, to continue its trace. A message without one (an
 * external entry, an untraced producer) gets the root context: its handling starts a new trace
 * instead of joining whatever happened to be active. Never throws, whatever the headers hold.
 */
export function traceContextOf(headers: Readonly<Record<string, string>> | undefined): Context {
  if (headers === undefined || headers === null || typeof headers !== 'object') return ROOT_CONTEXT;
  try {
    for (const _ in headers) return propagation.extract(ROOT_CONTEXT, headers, ownStrings);
  } catch {
    // A propagator that chokes on what a stranger wrote: the message starts a new trace.
  }
  return ROOT_CONTEXT;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** `span`'s context in the W3C `traceparent` form, for {@link COMMIT_HEADER}. */
export function traceparentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** The link to the span a `traceparent` value names; none for anything else. */
export function linkOf(traceparent: string | undefined): Link[] {
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null;
  if (!match) return [];
  const spanContext = {
    traceId: match[1],
    spanId: match[2],
    traceFlags: parseInt(match[3], 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? [{ context: spanContext }] : [];
}
