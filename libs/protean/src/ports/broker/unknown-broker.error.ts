import { BrokerError } from './broker.error.js';

/** A broker name was asked for that the configuration does not define. */
export class UnknownBrokerError extends BrokerError {
  constructor(brokerName: string, configured: readonly string[]) {
    super(
      brokerName,
      `No broker named "${brokerName}" is configured (have: ${configured.join(', ') || 'none'}); ` +
        `add [brokers.${brokerName}] to domain.toml`,
    );
  }
}
