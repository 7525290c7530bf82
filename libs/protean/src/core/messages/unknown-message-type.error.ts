import { PermanentError } from '../errors/permanent.error.js';

/** No class is registered for the message's type. */
export class UnknownMessageTypeError extends PermanentError {
  constructor(readonly type: string) {
    super(`Unknown message type "${type}": no command or event of that type is registered`);
  }
}
