import type { Span } from '@opentelemetry/api';
import type { StreamPartitions } from '../../core/messages/stream-partitions.js';
import { isJsonObject } from '../../core/messages/envelope-codec.js';
import { failSpan, tracingRegistered } from '../../core/tracing/protean-tracer.js';
import { startSendSpan } from '../../core/tracing/send-span.js';
import { COMMIT_HEADER } from '../../core/tracing/trace-context.js';
import type { ClaimedMessage } from '../../ports/outbox/outbox-store.port.js';
import type { PublishOutcome } from './publish-in-order.js';

/** The `send` spans of one batch's rows, by row id. */
export type SendSpans = ReadonlyMap<number, Span>;

/** Only a row written by a traced commit names it: the others cost one substring search. */
const TRACED = `"${COMMIT_HEADER}"`;

/**
 * Starts the `PRODUCER` span `send <broker stream>` of each row of `rows` that a traced unit of
 * work wrote, in the trace its envelope carries, linked to the commit that wrote it. `undefined`
 * when no row is traced (or nothing records): the batch is published as it would be untraced.
 * Without a tracer provider no row is even searched.
 */
export function startSends(
  rows: readonly ClaimedMessage[],
  streams: StreamPartitions,
  provider: string,
): SendSpans | undefined {
  if (!tracingRegistered()) return undefined;
  let spans: Map<number, Span> | undefined;
  for (const row of rows) {
    if (!row.data.includes(TRACED)) continue;
    const headers = headersOf(row.data);
    if (headers === undefined) continue;
    const span = startSendSpan(headers, streams.brokerStreamOf(row.stream), provider, {
      'messaging.message.id': row.messageId,
      'protean.outbox.row_id': row.id,
      'protean.outbox.retry_count': row.retryCount,
    });
    if (!span) continue;
    (spans ??= new Map()).set(row.id, span);
  }
  return spans;
}

/** Ends the spans of a published batch: a failed row's span failed, a held row's marked so. */
export function endSends(spans: SendSpans, outcome: PublishOutcome): void {
  for (const row of outcome.published) spans.get(row.id)?.end();
  for (const { message, error } of outcome.failed) {
    const span = spans.get(message.id);
    if (!span) continue;
    failSpan(span, new Error(error));
    span.end();
  }
  for (const row of outcome.held) {
    const span = spans.get(row.id);
    if (!span) continue;
    span.addEvent('held', { 'protean.outbox.unavailable': outcome.unavailable ?? '' });
    span.end();
  }
}

/** The envelope headers of a row's JSON, or `undefined` when it holds none that are strings. */
function headersOf(data: string): Record<string, string> | undefined {
  try {
    const headers = (JSON.parse(data) as { metadata?: { headers?: unknown } }).metadata?.headers;
    if (!isJsonObject(headers)) return undefined;
    const strings: Record<string, string> = {};
    for (const [key, value] of Object.entries(headers)) {
      if (typeof value === 'string') strings[key] = value;
    }
    return strings;
  } catch {
    return undefined;
  }
}
