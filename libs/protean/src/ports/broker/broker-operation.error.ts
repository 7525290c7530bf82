import { BrokerError } from './broker.error.js';

/** The broker answered a command with an error (wrong key type, missing permission, …). */
export class BrokerOperationError extends BrokerError {}
