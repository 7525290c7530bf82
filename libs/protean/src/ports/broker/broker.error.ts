import { ProteanError } from '../../core/errors/protean.error.js';

/** The base of every error a broker raises on purpose; `brokerName` is the configured name. */
export class BrokerError extends ProteanError {
  constructor(
    readonly brokerName: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
