import { BrokerConnectionError } from './broker-connection.error.js';

/**
 * A blocking read outlived its block time by more than the grace period; the connection it
 * used is dropped, because a read that does not return usually means a dead socket.
 */
export class BrokerReadTimeoutError extends BrokerConnectionError {}
