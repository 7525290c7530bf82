import { SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import type { ReceivedMessage } from '../../ports/broker/broker.port.js';
import {
  messagingSystemOf,
  startSpan,
  tracingRegistered,
} from '../../core/tracing/protean-tracer.js';
import { traceContextOf } from '../../core/tracing/trace-context.js';
import type { DecodedMessage, MessageProcessor } from './message-processor.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';

/** One delivery attempt's span, and the context its handling runs in. */
export interface DeliverySpan {
  readonly span: Span;
  readonly active: Context;
}

/** Where a subscription's delivery spans come from: its stream, group, consumer and broker. */
export interface DeliverySource {
  readonly processor: MessageProcessor;
  readonly consumer: string;
  readonly provider: string;
  /** `process <stream>`, made once. */
  readonly spanName: string;
}

/**
 * Starts the `CONSUMER` span `process <stream>` of one attempt at `message`, continuing the
 * trace its envelope carries (a message without one starts a new trace), with the OpenTelemetry
 * messaging attributes and the attempt number (`protean.attempt`: the broker's delivery count).
 * `undefined` when nothing records it (no SDK): the attempt then runs as it would untraced, and
 * without a tracer provider nothing is extracted, started or allocated for it.
 */
export function startDelivery(
  source: DeliverySource,
  message: ReceivedMessage,
  decoded: DecodedMessage | undefined,
): DeliverySpan | undefined {
  if (!tracingRegistered()) return undefined;
  const parent = traceContextOf(decoded?.headers);
  const span = startSpan(source.spanName, { kind: SpanKind.CONSUMER }, parent);
  if (!span.isRecording()) return undefined;
  span.setAttributes({
    'messaging.system': messagingSystemOf(source.provider),
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.destination.name': source.processor.stream,
    'messaging.consumer.group.name': source.processor.group,
    'messaging.client.id': source.consumer,
    'messaging.message.id': decoded?.messageId ?? message.id,
    'messaging.redis.stream_entry.id': message.id,
    'protean.attempt': message.deliveryCount,
  });
  if (decoded?.type !== undefined) span.setAttribute('protean.message.type', decoded.type);
  return { span, active: trace.setSpan(parent, span) };
}

/**
 * Starts the `CONSUMER` span `process $event_store` of one attempt of handler `group` at an event
 * (or command) it reads from the event store, continuing the trace the envelope carries, as
 * {@link startDelivery} does for a broker's message. `undefined` when nothing records it.
 */
export function startStoreDelivery(
  group: string,
  provider: string,
  envelope: MessageEnvelope,
  position: number,
  attempt: number,
): DeliverySpan | undefined {
  if (!tracingRegistered()) return undefined;
  const parent = traceContextOf(envelope.metadata.headers);
  const span = startSpan('process $event_store', { kind: SpanKind.CONSUMER }, parent);
  if (!span.isRecording()) return undefined;
  span.setAttributes({
    'messaging.system': provider,
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.destination.name': '$event_store',
    'messaging.consumer.group.name': group,
    'messaging.message.id': envelope.id,
    'protean.event_store.position': position,
    'protean.attempt': attempt,
    'protean.message.type': envelope.type,
  });
  return { span, active: trace.setSpan(parent, span) };
}
