import { ProteanError } from '../core/errors/protean.error.js';

/** A repository write was attempted outside of a unit of work. */
export class NoUnitOfWorkError extends ProteanError {
  constructor(operation: string) {
    super(
      `${operation} needs a unit of work: call it from a handler or inside UnitOfWorkManager.run()`,
    );
  }
}
