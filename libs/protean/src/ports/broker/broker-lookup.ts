import type { Broker } from './broker.port.js';

/**
 * Finds a configured broker by its name under `[brokers.*]`: what `BROKER_REGISTRY` provides.
 * A consumer states the part of the port it uses, e.g. `BrokerLookup<Pick<Broker, 'publishBatch'>>`.
 */
export interface BrokerLookup<B extends Partial<Broker> = Broker> {
  /** The broker called `name`; throws when none is configured or it cannot be created. */
  get(name: string): B;
}
