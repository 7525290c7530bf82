/** The `[outbox.retry]` settings the backoff needs. */
export interface BackoffPolicy {
  readonly base_delay_seconds: number;
  readonly max_delay_seconds: number;
  /** Fraction of the delay added or removed at random; 0 disables jitter. */
  readonly jitter: number;
}

/**
 * Seconds to wait before the next attempt after a failure, given how many attempts had
 * already failed before it: `min(base · 2^failuresBefore, max)`, then moved by up to
 * ±`jitter` of itself so rows that failed together do not all retry in the same instant.
 */
export function retryDelaySeconds(
  failuresBefore: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(
    policy.base_delay_seconds * 2 ** failuresBefore,
    policy.max_delay_seconds,
  );
  const spread = exponential * policy.jitter * (2 * random() - 1);
  return Math.max(0, exponential + spread);
}
