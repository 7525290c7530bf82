import { BrokerConnectionError } from './broker-connection.error.js';

/**
 * The broker refused this configuration — the credentials, the TLS certificate or the database
 * index — so retrying cannot help: the process should stop and the URI be corrected.
 */
export class BrokerRefusedError extends BrokerConnectionError {}
