import type { WorkerSubscription } from '../../core/config/delivery-problems.js';

/**
 * Why these subscriptions could never deliver, as one line, or `undefined`: checked by the
 * engine before it opens them. `ProteanWorkerModule` provides it (`workerDeliveryProblem`);
 * without it, as in the embedded engine, there is nothing to check.
 */
export type DeliveryCheck = (plan: readonly WorkerSubscription[]) => string | undefined;

/** The injection token of the {@link DeliveryCheck}. */
export const DELIVERY_CHECK = Symbol('PROTEAN_DELIVERY_CHECK');
