import { BrokerError } from './broker.error.js';

/** An operation was called after `close()`. */
export class BrokerClosedError extends BrokerError {
  constructor(brokerName: string, operation: string) {
    super(brokerName, `Broker "${brokerName}" is closed; ${operation} is no longer possible`);
  }
}
