import type { DeadLetter } from '../../../ports/broker/broker.port.js';
import { parseUntrustedJson } from '../../../core/messages/safe-json.js';
import { isJsonObject } from '../../../core/messages/envelope-codec.js';
import { traceIdOf } from './trail/trace-id.js';

/** What an envelope's text says about itself (never its payload). */
export interface EnvelopeFacts {
  readonly id: string;
  readonly type: string;
  readonly kind: string;
  readonly stream: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly time: string;
  /** The trace it belongs to (its `traceparent` header), or `null`. */
  readonly traceId: string | null;
}

/** A dead letter as the Observatory lists it: provenance and the message's identity, no payload. */
export interface DeadLetterView {
  readonly broker: string;
  readonly id: string;
  readonly stream: string;
  readonly group: string;
  readonly attempts: number;
  readonly failedAt: string;
  readonly error: string;
  readonly originalId: string;
  /** The envelope's facts; `null` for a bare external payload or undecodable data. */
  readonly message: EnvelopeFacts | null;
  /** One line on what it carries, without its values (see {@link summaryOf}). */
  readonly summary: string;
}

/** Longest summary line. */
const SUMMARY_LENGTH = 120;

/** The identity of an envelope held as text, or `null` when it is not one. */
export function envelopeFacts(data: string | undefined): EnvelopeFacts | null {
  return factsOf(parsedOrUndefined(data));
}

/** `data` parsed as untrusted JSON, or `undefined` when it is not JSON. */
function parsedOrUndefined(data: string | undefined): unknown {
  try {
    // Shown, never stored: a letter refused for an unstorable value still shows what it was.
    return parseUntrustedJson(data, { storable: false });
  } catch {
    return undefined;
  }
}

function factsOf(parsed: unknown): EnvelopeFacts | null {
  if (!isJsonObject(parsed) || !isJsonObject(parsed.metadata)) return null;
  const { id, type, kind, stream } = parsed;
  const { correlationId, causationId, time } = parsed.metadata;
  const texts = [id, type, kind, stream, correlationId, causationId, time];
  if (!texts.every((value) => typeof value === 'string')) return null;
  return {
    id: id as string,
    type: type as string,
    kind: kind as string,
    stream: stream as string,
    correlationId: correlationId as string,
    causationId: causationId as string,
    time: time as string,
    traceId:
      (isJsonObject(parsed.metadata.headers) && traceIdOf(parsed.metadata.headers.traceparent)) ||
      null,
  };
}

/** The list view of a dead letter of `broker`. */
export function deadLetterView(broker: string, letter: DeadLetter): DeadLetterView {
  const parsed = parsedOrUndefined(letter.data);
  const message = factsOf(parsed);
  return {
    broker,
    id: letter.id,
    stream: letter.stream,
    group: letter.provenance.group,
    attempts: letter.provenance.attempts,
    failedAt: letter.provenance.failedAt,
    error: letter.provenance.error,
    originalId: letter.provenance.originalId,
    message,
    summary: summaryOf(letter.data, parsed, message !== null),
  };
}

/**
 * A one-line summary of what a message carries, never its values (those only an explicit
 * inspect shows): an envelope's aggregate stream and payload field names; an external entry's
 * JSON shape and field names; text that is not JSON by its size.
 */
export function summaryOf(data: string | undefined, parsed: unknown, envelope: boolean): string {
  if (data === undefined) return '(no data)';
  if (parsed === undefined) return `text, ${Buffer.byteLength(data)} bytes, not JSON`;
  if (envelope && isJsonObject(parsed))
    return shorten(`${oneLine(String(parsed.stream))} · ${shapeOf(parsed.payload)}`);
  return shorten(shapeOf(parsed));
}

/** A JSON value's shape: an object's field names, a list's length, a scalar's kind. */
function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return `list of ${value.length}`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    const shown = keys.slice(0, 12).map(oneLine).join(', ');
    return `{ ${shown}${keys.length > 12 ? `, … ${keys.length - 12} more` : ''} }`;
  }
  if (typeof value === 'string') return `string of ${value.length}`;
  return value === null ? 'null' : typeof value;
}

// Control characters (a summary is one line of plain text) are what it looks for.
// eslint-disable-next-line no-control-regex
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');

const shorten = (text: string) =>
  text.length <= SUMMARY_LENGTH
    ? text
    : `${[...text.slice(0, SUMMARY_LENGTH * 2)].slice(0, SUMMARY_LENGTH - 1).join('')}…`;
