import type { OutgoingMessage, ReadOptions } from '../../ports/broker/broker.port.js';
import { BrokerError } from '../../ports/broker/broker.error.js';
import { PayloadTooLargeError } from '../../ports/broker/payload-too-large.error.js';

/*
 * Argument checks every adapter shares, so that a caller gets the same error from the embedded
 * broker as from production and a batch is refused before any of it is sent.
 */

/** Throws {@link PayloadTooLargeError} for the first message over `limit` bytes. */
export function assertPayloadsWithinLimit(
  brokerName: string,
  messages: readonly OutgoingMessage[],
  limit: number,
): void {
  for (const message of messages) {
    if (typeof message.stream !== 'string' || message.stream === '') {
      throw new BrokerError(brokerName, `Broker "${brokerName}": a message needs a stream name`);
    }
    if (typeof message.data !== 'string') {
      throw new BrokerError(
        brokerName,
        `Broker "${brokerName}": message data for stream "${message.stream}" must be a JSON text`,
      );
    }
    const bytes = Buffer.byteLength(message.data, 'utf8');
    if (bytes > limit) throw new PayloadTooLargeError(brokerName, message.stream, bytes, limit);
  }
}

/** Refuses counts and block times that would make a read unbounded. */
export function assertReadOptions(brokerName: string, options: ReadOptions): void {
  const { count, blockMs } = options;
  if (!Number.isInteger(count) || count < 1) {
    throw new BrokerError(brokerName, `Broker "${brokerName}": read count must be >= 1`);
  }
  if (!Number.isFinite(blockMs) || blockMs < 0) {
    throw new BrokerError(
      brokerName,
      `Broker "${brokerName}": read blockMs must be a finite number >= 0 (0 returns at once)`,
    );
  }
}
