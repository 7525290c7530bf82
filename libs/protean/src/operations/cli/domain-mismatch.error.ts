import { ProteanError } from '../../core/errors/protean.error.js';

/** `--domain` names a domain other than the configured one. */
export class DomainMismatchError extends ProteanError {
  constructor(requested: string, configured: string, source: string) {
    super(
      `--domain "${requested}" does not match the configured domain "${configured}" (from ${source}); ` +
        'run protean where that domain is configured, or name its module with --module',
    );
  }
}
