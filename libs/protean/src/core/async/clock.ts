/**
 * Where the time comes from, for the components whose tests must control it (retry delays,
 * the circuit breaker, held messages, shutdown deadlines): the system clock in production, a
 * manual one in tests (`test/support/manual-clock.ts`), which moves only when told.
 */
export interface Clock {
  /** The current time, epoch ms. */
  now(): number;
  /** Calls `callback` once after `ms`; the returned function cancels it. */
  schedule(ms: number, callback: () => void): () => void;
}

/** The real time: `Date.now()` and `setTimeout`. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  schedule(ms, callback) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};
