import type { Logger } from '@nestjs/common';
import type { Broker } from '../../ports/broker/broker.port.js';
import { hasPendingEntries } from '../../ports/broker/broker-roles.js';
import { SYSTEM_CLOCK, type Clock } from '../../core/async/clock.js';

/**
 * The messages a subscription holds (queued, running or waiting to retry), so a reclaim never
 * doubles one, and kept from going idle at the broker: every third of `min_idle_ms`, those the
 * broker last saw delivered here longer ago than that are touched — their idle time reset
 * without counting a delivery — so that a message waiting in a long queue, or retrying a
 * conflict in place, is not taken over by another consumer and handled twice. Messages this
 * consumer no longer holds at the broker are left alone.
 */
export class HeldMessages {
  /** Held ids, with when the broker last saw each delivered to this consumer. */
  private readonly seen = new Map<string, number>();
  private cancelTimer?: () => void;
  private readonly everyMs: number;

  constructor(
    private readonly broker: Broker,
    private readonly stream: string,
    private readonly group: string,
    private readonly consumer: string,
    minIdleMs: number,
    private readonly logger: Logger,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {
    this.everyMs = Math.max(100, Math.floor(minIdleMs / 3));
  }

  /** Starts keeping held messages alive (on brokers with acknowledgements only). */
  start(): void {
    if (!hasPendingEntries(this.broker)) return;
    const every = () => {
      this.cancelTimer = this.clock.schedule(
        this.everyMs,
        () => {
          void this.keep();
          every();
        },
        { unref: true },
      );
    };
    every();
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  has(id: string): boolean {
    return this.seen.has(id);
  }

  /** Holds `id`, just delivered (or claimed again) to this consumer. */
  delivered(id: string): void {
    this.seen.set(id, this.clock.now());
  }

  release(id: string): void {
    this.seen.delete(id);
  }

  private async keep(): Promise<void> {
    const now = this.clock.now();
    const due = [...this.seen].filter(([, at]) => now - at >= this.everyMs).map(([id]) => id);
    if (due.length === 0 || !hasPendingEntries(this.broker)) return;
    try {
      const kept = await this.broker.touch(this.stream, this.group, this.consumer, due);
      for (const id of kept) if (this.seen.has(id)) this.seen.set(id, now);
    } catch (error) {
      this.logger.warn(
        `Keeping ${due.length} held message(s) from going idle failed: ${String(error)}`,
      );
    }
  }
}
