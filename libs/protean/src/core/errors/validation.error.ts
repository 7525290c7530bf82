import { PermanentError } from './permanent.error.js';

/** Raised when a command or an input fails validation; `problems` name the fields. Permanent. */
export class ValidationError extends PermanentError {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(`${message}: ${problems.join('; ')}`);
  }
}
