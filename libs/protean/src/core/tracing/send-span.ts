import { SpanKind, type Attributes, type Span } from '@opentelemetry/api';
import { messagingSystemOf, startSpan } from './protean-tracer.js';
import { COMMIT_HEADER, linkOf, traceContextOf } from './trace-context.js';

/**
 * Starts the `PRODUCER` span `send <broker stream>` of one message published to `stream` of a
 * broker of `provider`: in the trace the message's `headers` carry, linked to the commit that
 * wrote it (its {@link COMMIT_HEADER}), with the messaging attributes and `attributes`.
 * `undefined` when nothing records it. The outbox relay starts one per row it publishes, the
 * direct publisher (`enable_outbox = false`) one per message.
 */
export function startSendSpan(
  headers: Readonly<Record<string, string>>,
  stream: string,
  provider: string,
  attributes: Attributes,
): Span | undefined {
  const span = startSpan(
    `send ${stream}`,
    { kind: SpanKind.PRODUCER, links: linkOf(headers[COMMIT_HEADER]) },
    traceContextOf(headers),
  );
  if (!span.isRecording()) return undefined;
  span.setAttributes({
    'messaging.system': messagingSystemOf(provider),
    'messaging.operation.type': 'send',
    'messaging.operation.name': 'publish',
    'messaging.destination.name': stream,
    ...attributes,
  });
  return span;
}
