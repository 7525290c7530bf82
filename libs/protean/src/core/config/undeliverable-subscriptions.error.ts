import { ProteanError } from '../errors/protean.error.js';

/** A worker's subscriptions could never deliver ({@link workerDeliveryProblem}); the message is the one line. */
export class UndeliverableSubscriptionsError extends ProteanError {}
