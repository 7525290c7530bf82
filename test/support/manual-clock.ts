import type { Clock } from '../../libs/protean/src/core/async/clock.js';

interface Timer {
  readonly at: number;
  readonly order: number;
  readonly callback: () => void;
}

/** Lets promise callbacks and I/O already due run before time moves on. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A clock for unit tests that moves only when told: `advance(ms)` fires the timers falling due
 * in that span, in order, letting the work each one starts run before the next, so a test of a
 * retry delay, a circuit breaker's pause or a shutdown deadline waits no real time.
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private scheduled = 0;

  /** Starts at a real-looking epoch time, so "never" (0) is long ago. */
  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(ms: number, callback: () => void): () => void {
    const timer = { at: this.current + Math.max(0, ms), order: this.scheduled++, callback };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((other) => other !== timer));
  }

  /** Timers not yet fired nor cancelled. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing the timers due on the way, each at its own time. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const next = this.timers
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!next) break;
      this.timers = this.timers.filter((timer) => timer !== next);
      this.current = next.at;
      next.callback();
    }
    this.current = target;
    await settle();
  }
}
