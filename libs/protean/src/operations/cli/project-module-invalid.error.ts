import { ProteanError } from '../../core/errors/protean.error.js';

/** The module that was named cannot be used (missing file, missing export, not a Nest module). */
export class ProjectModuleInvalidError extends ProteanError {
  constructor(reference: string, source: string, problem: string) {
    super(`The Protean module "${reference}" (from ${source}) ${problem}`);
  }
}
