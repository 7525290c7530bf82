import { backoffDelay } from '../../core/async/exponential-backoff.js';

/** The `[outbox.retry]` settings the backoff needs. */
export interface OutboxBackoffPolicy {
  readonly base_delay_seconds: number;
  readonly max_delay_seconds: number;
  /** Fraction of the delay added or removed at random; 0 disables jitter. */
  readonly jitter: number;
}

/**
 * Seconds to wait before the next attempt after a failure, given how many attempts had
 * already failed before it: the engine's backoff (`min(base · 2^failuresBefore, max)` ±
 * jitter) in the outbox's units, so rows that failed together do not all retry at once.
 */
export function retryDelaySeconds(
  failuresBefore: number,
  policy: OutboxBackoffPolicy,
  random: () => number = Math.random,
): number {
  const delayMs = backoffDelay(
    {
      baseMs: policy.base_delay_seconds * 1000,
      maxMs: policy.max_delay_seconds * 1000,
      jitter: policy.jitter,
    },
    failuresBefore + 1,
    random,
  );
  return delayMs / 1000;
}
