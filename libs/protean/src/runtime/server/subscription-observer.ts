import type { MessageHop } from '../../core/messages/message-hops.js';

/** What a subscription reports as it works; metrics and the Observatory listen here. */
export interface SubscriptionObserver {
  processed(group: string, stream: string, durationMs: number): void;
  failed(group: string, stream: string, error: unknown): void;
  retried(group: string, stream: string, delayMs: number): void;
  deadLettered(group: string, stream: string, reason: string): void;
  /** A hop of a message's way measured by the subscription (`docs/operations.md`), in ms. */
  hop(group: string, stream: string, hop: MessageHop, ms: number): void;
}

/** Reports to nobody. */
export const NO_OBSERVER: SubscriptionObserver = {
  processed: () => undefined,
  failed: () => undefined,
  retried: () => undefined,
  deadLettered: () => undefined,
  hop: () => undefined,
};
