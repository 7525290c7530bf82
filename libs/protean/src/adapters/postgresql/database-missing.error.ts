import { DatabaseUnavailableError } from './database-unavailable.error.js';

/**
 * The server runs but has no database of the URI's name (SQLSTATE 3D000): a configuration
 * error, which waiting cannot cure. Still a {@link DatabaseUnavailableError} to its callers.
 */
export class DatabaseMissingError extends DatabaseUnavailableError {
  constructor(target: string, reason: string, options?: ErrorOptions) {
    super(target, reason, options);
    const database = target.slice(target.indexOf('/') + 1);
    this.message =
      `PostgreSQL at ${target} has no database "${database}" (${reason}); create it ` +
      `(\`createdb ${database}\`); the next start creates the schema (or \`npx protean db setup\` ` +
      'with auto_migrate = false)';
  }
}
