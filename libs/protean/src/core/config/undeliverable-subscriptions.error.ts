/** A worker's subscriptions could never deliver ({@link workerDeliveryProblem}); the message is the one line. */
export class UndeliverableSubscriptionsError extends Error {
  override readonly name = 'UndeliverableSubscriptionsError';
}
