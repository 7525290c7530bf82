import { ProteanError } from '../../../core/errors/protean.error.js';

/** The operator answered no (or nothing): the action did not run. */
export class NotConfirmedError extends ProteanError {
  constructor(nothingDone: string) {
    super(`Not confirmed: ${nothingDone}`);
  }
}
