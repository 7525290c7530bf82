/**
 * Where the time comes from, for the components whose tests must control it (retry delays,
 * the circuit breaker, held messages, shutdown deadlines): the system clock in production, a
 * manual one in tests (`test/support/manual-clock.ts`), which moves only when told.
 */
export interface Clock {
  /** The current time, epoch ms. */
  now(): number;
  /**
   * Calls `callback` once after `ms`; the returned function cancels it. With `unref`, the timer
   * does not keep the process alive on its own (background upkeep).
   */
  schedule(ms: number, callback: () => void, options?: { readonly unref?: boolean }): () => void;
}

/** The real time: `Date.now()` and `setTimeout`. */
export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  schedule(ms, callback, options) {
    const timer = setTimeout(callback, ms);
    if (options?.unref) timer.unref();
    return () => clearTimeout(timer);
  },
};
