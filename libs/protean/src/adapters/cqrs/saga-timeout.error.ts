import { ProteanError } from '../../core/errors/protean.error.js';

/** A saga's pipeline did not complete on one event in time (see `sagaStep`). */
export class SagaTimeoutError extends ProteanError {
  constructor(saga: string, event: object, timeoutMs: number) {
    super(
      `Saga ${saga || '(anonymous)'} did not complete on ${event.constructor.name} within ` +
        `${timeoutMs} ms: under the bridge a saga runs on one event and must complete ` +
        '(no interval or never-ending stream); raise sagaTimeoutMs if it is only slow',
    );
  }
}
