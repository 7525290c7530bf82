/** The parts of an outbox row that make up its envelope; payload and metadata as JSON text. */
export interface EnvelopeParts {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  readonly kind: string;
  readonly payloadJson: string;
  readonly metadataJson: string;
}

/**
 * The JSON envelope of an outbox row, byte for byte what `serializeEnvelope` writes, built from
 * the stored JSON text without parsing it: the relay's hot path stays free of JSON round trips.
 */
export function envelopeText(parts: EnvelopeParts): string {
  return (
    `{"id":${JSON.stringify(parts.id)},"type":${JSON.stringify(parts.type)},` +
    `"stream":${JSON.stringify(parts.stream)},"kind":${JSON.stringify(parts.kind)},` +
    `"payload":${parts.payloadJson},"metadata":${parts.metadataJson}}`
  );
}
