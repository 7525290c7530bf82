/** How long to wait between attempts: doubling from `baseMs`, capped, spread by jitter. */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** Fraction of the delay added or removed at random (0.2: ±20 %), so retries do not align. */
  readonly jitter: number;
}

/**
 * The wait before retry number `retry` (1 for the first retry): `min(base·2^(retry-1), max)`
 * ± jitter. `random` is injectable so the spread can be tested.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  retry: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, retry - 1);
  const raw = Math.min(policy.baseMs * 2 ** Math.min(exponent, 52), policy.maxMs);
  const spread = raw * policy.jitter;
  return Math.max(0, Math.round(raw - spread + random() * 2 * spread));
}
