import { ProteanError } from '../../errors/protean.error.js';

/** The event store was asked to join a transaction of a database that is not PostgreSQL. */
export class EventStoreSessionError extends ProteanError {
  constructor() {
    super(
      'The postgresql event store can only join a postgresql database transaction; ' +
        'configure both on the same database, or let the store append after commit',
    );
  }
}
