import type { ResolvedSubscriptionSettings } from '../../core/config/subscription-profiles.js';

/**
 * What the engine holds of each subscription, whatever it reads (a broker stream, or the event
 * store): it starts it, stops its reading at shutdown, drains it within the grace period and
 * reports on it.
 */
export interface Subscription {
  /** The handler's name: its consumer group. */
  readonly group: string;
  /** The stream it reads, or `$event_store`. */
  readonly stream: string;
  readonly settings: ResolvedSubscriptionSettings;
  /** Prepares its position (group, checkpoint) and starts reading. */
  start(): Promise<void>;
  /** Stops reading; what is in flight goes on until {@link drain}'s deadline. */
  stopReading(): void;
  /**
   * Lets the messages in flight finish, at most until `deadline` (epoch ms), then records what
   * was handled (acks, checkpoint); what was not is delivered again later.
   */
  drain(deadline: number): Promise<void>;
  /** Resolves when the read loop has ended. */
  stopped(): Promise<void>;
}
