import { ProteanError } from '../errors/protean.error.js';

/** The outbox was asked to write in a transaction of another kind of database. */
export class OutboxSessionError extends ProteanError {
  constructor(provider: string) {
    super(
      `The ${provider} outbox can only write in a ${provider} database transaction; ` +
        `the outbox always lives in databases.default`,
    );
  }
}
