import { ProteanError } from '../../../core/errors/protean.error.js';

/** A table Protean needs is missing: the migrations have not been run on this database. */
export class SchemaMissingError extends ProteanError {
  constructor(
    readonly target: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      `PostgreSQL at ${target} has no Protean schema (${detail}); ` +
        'create it with `npx protean db setup` (or restart: a start migrates unless ' +
        'auto_migrate = false)',
      options,
    );
  }
}
