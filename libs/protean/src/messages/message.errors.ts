import { ProteanError } from '../errors/protean.error.js';

/** The text of a message is not JSON, or is JSON no handler may safely see. */
export class UndeserializableMessageError extends ProteanError {}

/** The message is JSON but not a valid envelope or payload; `problems` name the fields. */
export class InvalidMessageError extends ProteanError {
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(problems.length ? `${message}: ${problems.join('; ')}` : message);
  }
}

/** No class is registered for the message's type. */
export class UnknownMessageTypeError extends ProteanError {
  constructor(readonly type: string) {
    super(`Unknown message type "${type}": no command or event of that type is registered`);
  }
}
