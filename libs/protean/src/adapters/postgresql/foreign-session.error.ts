import { ProteanError } from '../../core/errors/protean.error.js';

/**
 * A PostgreSQL store (the outbox, the event store) was asked to write in a transaction of a
 * database that is not PostgreSQL; `remedy` says what to configure instead.
 */
export class ForeignSessionError extends ProteanError {
  constructor(store: string, remedy: string) {
    super(`The postgresql ${store} can only join a postgresql database transaction; ${remedy}`);
  }
}
