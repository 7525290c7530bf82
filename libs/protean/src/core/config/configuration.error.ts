import { ProteanError } from '../errors/protean.error.js';

/** Raised when the configuration cannot be loaded or is invalid; `key` is the offending path. */
export class ConfigurationError extends ProteanError {
  constructor(
    readonly key: string,
    readonly problem: string,
    readonly source?: string,
  ) {
    super(`Invalid configuration: ${key}: ${problem}${source ? ` (from ${source})` : ''}`);
  }
}
