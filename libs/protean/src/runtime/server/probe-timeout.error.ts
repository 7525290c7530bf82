import { ProteanError } from '../../core/errors/protean.error.js';

/** A dependency that did not answer in time. */
export class ProbeTimeoutError extends ProteanError {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
  }
}
