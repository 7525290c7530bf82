import { ProteanError } from '../errors/protean.error.js';

/** A broker was asked for that this application cannot provide. */
export class BrokerUnavailableError extends ProteanError {
  constructor(
    readonly brokerName: string,
    reason: string,
  ) {
    super(`Broker "${brokerName}" is unavailable: ${reason}`);
  }
}
