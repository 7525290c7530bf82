import { ProteanError } from '../../core/errors/protean.error.js';

/**
 * PostgreSQL could not be reached or refused the connection. `target` is `host:port/name`,
 * never the URI, which may hold a password.
 */
export class DatabaseUnavailableError extends ProteanError {
  constructor(
    readonly target: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `PostgreSQL at ${target} is unavailable: ${reason}; check that it runs and that ` +
        `database_uri names an existing database and valid credentials`,
      options,
    );
  }
}
