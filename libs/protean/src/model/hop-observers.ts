import { Injectable } from '@nestjs/common';
import type { HopObserver, MessageHop } from '../core/messages/message-hops.js';

/**
 * Who listens to the hops measured outside the engine's subscriptions — the unit of work's
 * transaction, the outbox relay's publish: metrics add themselves at module init.
 */
@Injectable()
export class HopObservers implements HopObserver {
  private readonly observers: HopObserver[] = [];

  /** Adds `observer`; told of every hop from then on. */
  add(observer: HopObserver): void {
    this.observers.push(observer);
  }

  /** Tells every observer, in order; an observer that throws is skipped. */
  hop(hop: MessageHop, ms: number): void {
    for (const observer of this.observers) {
      try {
        observer.hop(hop, ms);
      } catch {
        // Observing must never break the work observed.
      }
    }
  }
}
