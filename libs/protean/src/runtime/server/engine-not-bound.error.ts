import { ProteanError } from '../../core/errors/protean.error.js';

/** `listen()` was called before an engine was bound. */
export class EngineNotBoundError extends ProteanError {
  constructor() {
    super(
      'ProteanServer has no engine: create it with createProteanWorker() or call bind(app.get(ProteanEngine))',
    );
  }
}
