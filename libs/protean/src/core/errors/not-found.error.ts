import { PermanentError } from './permanent.error.js';

/** An aggregate or read model does not exist. Permanent: a retry would not create it. */
export class NotFoundError extends PermanentError {
  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super(`${kind} ${id} not found`);
  }
}
