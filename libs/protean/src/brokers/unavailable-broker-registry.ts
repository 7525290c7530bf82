import type { ProteanConfig } from '../config/config.schema.js';
import type { BrokerLookup } from './broker-lookup.js';
import type { Broker } from './broker.port.js';
import { BrokerUnavailableError } from './broker-unavailable.error.js';

/**
 * The placeholder value of `BROKER_REGISTRY` until the broker adapters (issue 3) are wired in:
 * it knows the configured names and refuses every one with an error saying what is missing.
 * Replace it in `protean.module.ts` with `new BrokerRegistry(config.brokers)`, or override the
 * `BROKER_REGISTRY` provider (tests do).
 */
export class UnavailableBrokerRegistry implements BrokerLookup {
  constructor(private readonly brokers: ProteanConfig['brokers']) {}

  get(name: string): Broker {
    const config = this.brokers[name];
    if (!config) {
      throw new BrokerUnavailableError(
        name,
        `no [brokers.${name}] is configured (have: ${Object.keys(this.brokers).join(', ')})`,
      );
    }
    throw new BrokerUnavailableError(
      name,
      `no adapter for provider "${config.provider}" is registered in this build; ` +
        'provide BROKER_REGISTRY',
    );
  }
}
