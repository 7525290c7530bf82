import type { BrokerCapabilities } from './broker.port.js';
import { BrokerError } from './broker.error.js';

/** The broker lacks the capability an operation needs (e.g. dead letters on Redis Pub/Sub). */
export class UnsupportedBrokerOperationError extends BrokerError {
  constructor(
    brokerName: string,
    readonly provider: string,
    readonly operation: string,
    readonly capability: keyof BrokerCapabilities,
  ) {
    super(
      brokerName,
      `Broker "${brokerName}" (${provider}) cannot ${operation}: it lacks the ` +
        `"${capability}" capability; use a broker that has it (e.g. provider "redis")`,
    );
  }
}
