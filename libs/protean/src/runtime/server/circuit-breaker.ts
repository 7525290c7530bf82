export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * Counts consecutive failures of one subscription. At `threshold` it opens: reading pauses
 * for `resetMs`, then one probe is let through (half-open); a success closes it again, a
 * failure re-opens it. A threshold of 0 disables it.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;

  constructor(
    private readonly threshold: number,
    private readonly resetMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.resetMs ? 'half-open' : 'open';
  }

  /** How long reading should still pause (0 when it may read). */
  pauseMs(): number {
    if (this.openedAt === undefined) return 0;
    return Math.max(0, this.resetMs - (this.now() - this.openedAt));
  }

  success(): void {
    this.failures = 0;
    this.openedAt = undefined;
  }

  failure(): void {
    this.failures++;
    if (this.threshold > 0 && (this.failures >= this.threshold || this.openedAt !== undefined)) {
      this.openedAt = this.now();
    }
  }
}
