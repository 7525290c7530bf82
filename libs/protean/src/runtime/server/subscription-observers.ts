import { Injectable } from '@nestjs/common';
import { NO_OBSERVER, type SubscriptionObserver } from './subscription-observer.js';

/**
 * Who listens to the engine's subscriptions (metrics, the Observatory): each adds itself at
 * module init, and the engine reads the list when it starts — an observer added later is not
 * connected to subscriptions already open.
 */
@Injectable()
export class SubscriptionObservers {
  private readonly observers: SubscriptionObserver[] = [];

  /** Adds `observer`; connected to the subscriptions the engine opens from then on. */
  add(observer: SubscriptionObserver): void {
    this.observers.push(observer);
  }

  /** One observer that tells every added one, in order ({@link combineObservers}). */
  combined(): SubscriptionObserver {
    return combineObservers(...this.observers);
  }
}

/** One observer that tells each of `observers`, in order; an observer that throws is skipped. */
export function combineObservers(...observers: SubscriptionObserver[]): SubscriptionObserver {
  const active = observers.filter((observer) => observer !== NO_OBSERVER);
  if (active.length === 0) return NO_OBSERVER;
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
    hop: each('hop'),
  };
}
