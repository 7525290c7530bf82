import { z } from 'zod';
import { InvalidMessageError } from './invalid-message.error.js';
import type { MessageEnvelope } from './message-envelope.js';
import { parseUntrustedJson } from './safe-json.js';

/** Whether `value` is a JSON object: not null, not an array. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON object, used as `JSON.parse` made it: a record schema would copy it key by key. */
const jsonObject = z.custom<Record<string, unknown>>(isJsonObject, {
  error: 'Invalid input: expected an object',
});

const timeSchema = z.iso.datetime({ offset: true });

/** The envelope's rules, zod's schema: the one source of its error messages. */
export const envelopeSchema = z.strictObject({
  id: z.string().min(1).max(128),
  type: z.string().min(1).max(256),
  stream: z.string().min(1).max(512),
  kind: z.enum(['EVENT', 'COMMAND']),
  payload: jsonObject,
  metadata: z.strictObject({
    correlationId: z.string().min(1).max(128),
    causationId: z.string().min(1).max(128),
    time: timeSchema,
    version: z.number().int().min(1),
    headers: z.record(z.string(), z.string()),
  }),
});

/** The JSON text of an envelope, as stored in the outbox and on a stream's `data` field. */
export function serializeEnvelope(envelope: MessageEnvelope): string {
  return JSON.stringify(envelope);
}

/**
 * Parses and validates an envelope read from a broker or a store. Throws
 * `UndeserializableMessageError` for text that is not safe JSON and `InvalidMessageError`
 * naming the fields for JSON that is not an envelope.
 */
export function deserializeEnvelope(text: string | undefined): MessageEnvelope {
  const value = parseUntrustedJson(text);
  if (isPlainEnvelope(value)) return value;
  const result = envelopeSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new InvalidMessageError('Not a valid message envelope', problems);
}

const ENVELOPE_KEYS = 6;
const METADATA_KEYS = 5;

/** A string of 1 to `max` UTF-16 units: zod's `min(1).max(max)`, which counts code points, agrees. */
const isShortString = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

/**
 * The common case of {@link envelopeSchema}, checked by hand: the worker's hottest check, where
 * zod's general walk cost as much as parsing the JSON. It only ever answers `true` for a value
 * the schema accepts as it is (`envelope-codec.unit.spec.ts` holds it to that over generated
 * values); anything else — including valid envelopes it does not vouch for, such as a string
 * within the limit only when counted in code points — goes to zod, which accepts or names
 * every problem. The value is returned as parsed: the schema would only copy it.
 */
export function isPlainEnvelope(value: unknown): value is MessageEnvelope {
  if (!isJsonObject(value)) return false;
  const { id, type, stream, kind, payload, metadata } = value;
  if (
    !isShortString(id, 128) ||
    !isShortString(type, 256) ||
    !isShortString(stream, 512) ||
    (kind !== 'EVENT' && kind !== 'COMMAND') ||
    !isJsonObject(payload) ||
    !isJsonObject(metadata) ||
    Object.keys(value).length !== ENVELOPE_KEYS
  )
    return false;
  const { correlationId, causationId, time, version, headers } = metadata;
  if (
    !isShortString(correlationId, 128) ||
    !isShortString(causationId, 128) ||
    typeof version !== 'number' ||
    !Number.isSafeInteger(version) ||
    version < 1 ||
    !isJsonObject(headers) ||
    Object.keys(metadata).length !== METADATA_KEYS ||
    !timeSchema.safeParse(time).success
  )
    return false;
  for (const key in headers) {
    // The schema's copy of the headers would drop an own `__proto__` (JSON.parse can make one).
    if (typeof headers[key] !== 'string' || key === '__proto__') return false;
  }
  return true;
}
