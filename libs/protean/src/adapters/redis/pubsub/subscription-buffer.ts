import { ZERO_STREAM_ID, type StreamIdGenerator } from '../../../ports/broker/stream-id.js';
import { WakeSignal } from '../../../core/async/wake-signal.js';

/** One buffered message: the id minted on arrival and the text as published. */
export interface BufferedMessage {
  readonly id: string;
  readonly data: string;
}

/**
 * The messages a subscribed group has received and not yet read. Pub/Sub pushes whether or
 * not anyone reads, so the buffer is bounded: when full, the oldest message is dropped, which
 * is the at-most-once contract of the provider.
 */
export class SubscriptionBuffer {
  readonly consumers = new Set<string>();
  lastDeliveredId = ZERO_STREAM_ID;
  /** Messages dropped because the buffer was full, since the broker last reported it. */
  dropped = 0;
  private readonly messages: BufferedMessage[] = [];
  private readonly arrivals = new WakeSignal();

  constructor(
    private readonly capacity: number,
    private readonly ids: StreamIdGenerator,
  ) {}

  get size(): number {
    return this.messages.length;
  }

  /** Adds a message, dropping the oldest when full; wakes waiting readers. */
  push(data: string): void {
    if (this.messages.length >= this.capacity) {
      this.messages.shift();
      this.dropped += 1;
    }
    this.messages.push({ id: this.ids.next(), data });
    this.wakeAll();
  }

  /** Removes and returns up to `count` messages for `consumer`, oldest first. */
  take(consumer: string, count: number): BufferedMessage[] {
    this.consumers.add(consumer);
    const batch = this.messages.splice(0, count);
    if (batch.length) this.lastDeliveredId = batch[batch.length - 1].id;
    return batch;
  }

  /** Resolves on the next push, after `ms`, or on {@link wakeAll}. */
  wait(ms: number): Promise<void> {
    return this.arrivals.sleep(ms);
  }

  /** Releases every waiting reader (a push, or the broker closing). */
  wakeAll(): void {
    this.arrivals.wake();
  }
}
