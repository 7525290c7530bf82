import { BrokerError } from './broker.error.js';

/** A dead letter has no `data` (its original entry had none), so there is nothing to replay. */
export class DeadLetterNotReplayableError extends BrokerError {
  constructor(
    brokerName: string,
    readonly stream: string,
    readonly id: string,
  ) {
    super(
      brokerName,
      `Dead letter ${id} of stream "${stream}" has no data field, so it cannot be replayed; ` +
        `inspect it and purge it instead`,
    );
  }
}
