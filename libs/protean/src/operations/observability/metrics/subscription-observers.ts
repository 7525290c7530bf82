import {
  NO_OBSERVER,
  type SubscriptionObserver,
} from '../../../runtime/server/subscription-observer.js';

/** One observer that tells each of `observers`, in order; an observer that throws is skipped. */
export function combineObservers(...observers: SubscriptionObserver[]): SubscriptionObserver {
  const active = observers.filter((observer) => observer !== NO_OBSERVER);
  if (active.length === 1) return active[0];
  const each =
    <K extends keyof SubscriptionObserver>(method: K) =>
    (...args: Parameters<SubscriptionObserver[K]>) => {
      for (const observer of active) {
        try {
          (observer[method] as (...a: Parameters<SubscriptionObserver[K]>) => void)(...args);
        } catch {
          // Observing must never break message handling.
        }
      }
    };
  return {
    processed: each('processed'),
    failed: each('failed'),
    retried: each('retried'),
    deadLettered: each('deadLettered'),
  };
}
