/** Injection tokens of the providers ProteanModule creates from the configuration. */
export const PROTEAN_CONFIG = Symbol('PROTEAN_CONFIG');
export const DATABASE = Symbol('PROTEAN_DATABASE');
export const EVENT_STORE = Symbol('PROTEAN_EVENT_STORE');
export const ENVELOPE_FACTORY = Symbol('PROTEAN_ENVELOPE_FACTORY');
/** The outbox store (`OutboxStore`): memory or postgresql, following `databases.default`. */
export const OUTBOX_STORE = Symbol('PROTEAN_OUTBOX_STORE');
/**
 * The configured brokers by name (`BrokerLookup`: `get(name): Broker`): the `BrokerRegistry` of
 * `adapters/brokers/broker-registry.ts`, which refuses a name that is not configured.
 */
export const BROKER_REGISTRY = Symbol('PROTEAN_BROKER_REGISTRY');
