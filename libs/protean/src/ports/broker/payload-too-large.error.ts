import { BrokerError } from './broker.error.js';

/** A message is larger than the broker's `max_payload_bytes`; nothing was published. */
export class PayloadTooLargeError extends BrokerError {
  constructor(
    brokerName: string,
    readonly stream: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      brokerName,
      `Message for stream "${stream}" is ${bytes} bytes, over the ${limit}-byte limit of broker ` +
        `"${brokerName}"; publish a smaller message or raise brokers.${brokerName}.max_payload_bytes`,
    );
  }
}
