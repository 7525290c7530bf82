import { PermanentError } from '../errors/permanent.error.js';

/** The text of a message is not JSON, or is JSON no handler may safely see. */
export class UndeserializableMessageError extends PermanentError {}

/** The message is JSON but not a valid envelope or payload; `problems` name the fields. */
export class InvalidMessageError extends PermanentError {
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(problems.length ? `${message}: ${problems.join('; ')}` : message);
  }
}

/** No class is registered for the message's type. */
export class UnknownMessageTypeError extends PermanentError {
  constructor(readonly type: string) {
    super(`Unknown message type "${type}": no command or event of that type is registered`);
  }
}

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

/**
 * The message holds values that cannot be stored or carried as they are (U+0000, a lone
 * surrogate, a number a 64-bit float cannot keep); `problems` name them. Permanent: no retry
 * can store it, so it is refused where it enters (400 at the API, a dead letter on a stream).
 */
export class UnstorableValueError extends InvalidMessageError {
  constructor(problems: readonly string[]) {
    super('Message holds values that cannot be stored as sent', problems);
  }
}
