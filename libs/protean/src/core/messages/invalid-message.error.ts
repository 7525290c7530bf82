import { PermanentError } from '../errors/permanent.error.js';

/** The message is JSON but not a valid envelope or payload; `problems` name the fields. */
export class InvalidMessageError extends PermanentError {
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(problems.length ? `${message}: ${problems.join('; ')}` : message);
  }
}
