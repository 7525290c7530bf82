import { z } from 'zod';
import { InvalidMessageError } from './invalid-message.error.js';
import type { MessageEnvelope } from './message-envelope.js';
import { parseUntrustedJson } from './safe-json.js';

/** A JSON object, used as `JSON.parse` made it: a record schema would copy it key by key. */
const jsonObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { error: 'Invalid input: expected an object' },
);

const envelopeSchema = z.strictObject({
  id: z.string().min(1).max(128),
  type: z.string().min(1).max(256),
  stream: z.string().min(1).max(512),
  kind: z.enum(['EVENT', 'COMMAND']),
  payload: jsonObject,
  metadata: z.strictObject({
    correlationId: z.string().min(1).max(128),
    causationId: z.string().min(1).max(128),
    time: z.iso.datetime({ offset: true }),
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
  const result = envelopeSchema.safeParse(parseUntrustedJson(text));
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
  );
  throw new InvalidMessageError('Not a valid message envelope', problems);
}
