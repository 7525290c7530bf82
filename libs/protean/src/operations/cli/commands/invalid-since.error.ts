import { ProteanError } from '../../../core/errors/protean.error.js';

/** `--since` was not a time. */
export class InvalidSinceError extends ProteanError {
  constructor(value: string) {
    super(`--since "${value}" is not a time: give ISO 8601, e.g. 2026-01-31T12:00:00Z`);
  }
}
