import { ProteanError } from '../core/errors/protean.error.js';

/** The unit of work's database has no TypeORM transaction to share (the memory database). */
export class NoEntityManagerError extends ProteanError {
  constructor() {
    super(
      'this unit of work has no EntityManager: the memory database has no TypeORM transaction; ' +
        'configure databases.default.provider = "postgresql" (with a database_uri or your DataSource)',
    );
  }
}
