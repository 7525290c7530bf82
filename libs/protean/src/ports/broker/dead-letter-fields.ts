import type { DeadLetter, DeadLetterProvenance } from './broker.port.js';

/*
 * How a dead letter is laid out as entry fields on `<stream>:dlq`, shared by the adapters so a
 * DLQ written by one reads the same in another: the original `data` (absent when the original
 * entry had none) plus one field per provenance item.
 */

const MAX_ERROR_LENGTH = 4000;

/** The entry fields of a dead letter. */
export function toDeadLetterFields(
  stream: string,
  data: string | undefined,
  provenance: DeadLetterProvenance,
): Record<string, string> {
  const fields: Record<string, string> = {};
  if (data !== undefined) fields.data = data;
  fields.stream = stream;
  fields.originalId = provenance.originalId;
  fields.group = provenance.group;
  fields.consumer = provenance.consumer;
  // A stack trace can be megabytes; the head says what went wrong.
  fields.error = provenance.error.slice(0, MAX_ERROR_LENGTH);
  fields.attempts = String(provenance.attempts);
  fields.failedAt = provenance.failedAt;
  return fields;
}

/** Reads a dead letter back; tolerates entries written by hand with fields missing. */
export function fromDeadLetterFields(
  id: string,
  stream: string,
  fields: Readonly<Record<string, string>>,
): DeadLetter {
  const attempts = Number.parseInt(fields.attempts ?? '', 10);
  return {
    id,
    stream,
    data: fields.data,
    provenance: {
      originalId: fields.originalId ?? '',
      group: fields.group ?? '',
      consumer: fields.consumer ?? '',
      error: fields.error ?? '',
      attempts: Number.isNaN(attempts) ? 0 : attempts,
      failedAt: fields.failedAt ?? '',
    },
  };
}
