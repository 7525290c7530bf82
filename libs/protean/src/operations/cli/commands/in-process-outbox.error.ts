import { ProteanError } from '../../../core/errors/protean.error.js';

/** The outbox of the memory database lives inside the process that writes it. */
export class InProcessOutboxError extends ProteanError {
  constructor() {
    super(
      'The memory outbox exists only inside the running application; ' +
        'outbox commands need databases.default.provider = "postgresql"',
    );
  }
}
