import type { ReceivedMessage } from '../../ports/broker/broker.port.js';
import { OversizedMessageError } from '../../core/messages/oversized-message.error.js';
import type { DecodedMessage, MessageProcessor } from './message-processor.js';

/**
 * Refuses, before parsing, entries larger than the broker accepts at publish: the outbox never
 * writes one, so it was written by hand or by a foreign producer, and no handler should store
 * it. `decode` throws {@link OversizedMessageError}, so the entry is dead-lettered at once.
 */
export class SizeLimitedMessageProcessor implements MessageProcessor {
  constructor(
    private readonly inner: MessageProcessor,
    private readonly maxBytes: number,
    private readonly brokerName: string,
  ) {}

  get group(): string {
    return this.inner.group;
  }

  get stream(): string {
    return this.inner.stream;
  }

  decode(message: ReceivedMessage): DecodedMessage | undefined {
    // UTF-16 length ≤ UTF-8 bytes ≤ 3 × it: count bytes only when it can matter.
    const data = message.data;
    if (data !== undefined && data.length * 3 > this.maxBytes) {
      const bytes = Buffer.byteLength(data, 'utf8');
      if (bytes > this.maxBytes)
        throw new OversizedMessageError(bytes, this.maxBytes, this.brokerName);
    }
    return this.inner.decode(message);
  }
}
