import { BrokerError } from './broker.error.js';

/**
 * The broker could not be reached or refused the connection (wrong password, TLS failure,
 * server down, command timed out). The message names the broker and never holds a password.
 */
export class BrokerConnectionError extends BrokerError {}
