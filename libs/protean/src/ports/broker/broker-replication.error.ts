import { BrokerConnectionError } from './broker-connection.error.js';

/**
 * A publish reached fewer replicas than `min_replicas` within `wait_timeout_ms`: a failover
 * could still lose it, so it does not count as published. An availability problem, not the
 * message's fault: the outbox keeps the row and publishes it again later (consumers skip the
 * copy that did arrive by its message id).
 */
export class BrokerReplicationError extends BrokerConnectionError {}
