import { UndeserializableMessageError } from './undeserializable-message.error.js';

/** A message read from a broker is larger than that broker's `max_payload_bytes`. */
export class OversizedMessageError extends UndeserializableMessageError {
  constructor(
    readonly bytes: number,
    readonly limit: number,
    brokerName: string,
  ) {
    super(
      `Message is ${bytes} bytes, over the ${limit}-byte limit of broker "${brokerName}" ` +
        `(brokers.${brokerName}.max_payload_bytes); it was not parsed`,
    );
  }
}
