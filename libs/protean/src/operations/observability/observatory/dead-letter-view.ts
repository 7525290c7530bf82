import type { DeadLetter } from '../../../ports/broker/broker.port.js';
import { parseUntrustedJson } from '../../../core/messages/safe-json.js';
import { isJsonObject } from '../../../core/messages/envelope-codec.js';

/** What an envelope's text says about itself (never its payload). */
export interface EnvelopeFacts {
  readonly id: string;
  readonly type: string;
  readonly kind: string;
  readonly stream: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly time: string;
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
}

/** The identity of an envelope held as text, or `null` when it is not one. */
export function envelopeFacts(data: string | undefined): EnvelopeFacts | null {
  let parsed: unknown;
  try {
    // Shown, never stored: a letter refused for an unstorable value still shows what it was.
    parsed = parseUntrustedJson(data, { storable: false });
  } catch {
    return null;
  }
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
  };
}

/** The list view of a dead letter of `broker`. */
export function deadLetterView(broker: string, letter: DeadLetter): DeadLetterView {
  return {
    broker,
    id: letter.id,
    stream: letter.stream,
    group: letter.provenance.group,
    attempts: letter.provenance.attempts,
    failedAt: letter.provenance.failedAt,
    error: letter.provenance.error,
    originalId: letter.provenance.originalId,
    message: envelopeFacts(letter.data),
  };
}
