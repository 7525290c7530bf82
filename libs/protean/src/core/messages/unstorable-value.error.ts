import { InvalidMessageError } from './invalid-message.error.js';

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
