import { serializeEnvelope } from '../../core/messages/envelope-codec.js';
import type { MessageEnvelope } from '../../core/messages/message-envelope.js';
import { envelopeText } from './envelope-text.js';

describe('envelopeText', () => {
  it('writes exactly what serializeEnvelope writes', () => {
    const envelope: MessageEnvelope = {
      id: '9b7c…"quoted"',
      type: 'bookshelf.BookAdded.v1',
      stream: 'bookshelf::book-1',
      kind: 'EVENT',
      payload: { title: 'Dune \u2014 "the" novel\n', price: 9.99, tags: ['sf'], isbn: null },
      metadata: {
        correlationId: 'c',
        causationId: 'd',
        time: '2025-01-01T00:00:00.000Z',
        version: 1,
        headers: { tenant: 'x' },
      },
    };
    const text = envelopeText({
      id: envelope.id,
      type: envelope.type,
      stream: envelope.stream,
      kind: envelope.kind,
      payloadJson: JSON.stringify(envelope.payload),
      metadataJson: JSON.stringify(envelope.metadata),
    });
    expect(text).toBe(serializeEnvelope(envelope));
  });
});
