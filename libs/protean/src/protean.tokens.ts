/** Injection tokens of the providers ProteanModule creates from the configuration. */
export const PROTEAN_CONFIG = Symbol('PROTEAN_CONFIG');
export const DATABASE = Symbol('PROTEAN_DATABASE');
export const EVENT_STORE = Symbol('PROTEAN_EVENT_STORE');
export const ENVELOPE_FACTORY = Symbol('PROTEAN_ENVELOPE_FACTORY');
