import { withTimeout } from '../../core/async/with-timeout.js';
import { messageOf } from '../../core/errors/error-message.js';

/**
 * Polls `probe` until it returns a value other than `undefined`/`false`, or fails with the last
 * reason once `timeoutMs` has passed. A deadline-bounded poll, not a sleep: it returns as soon
 * as the condition holds.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 5000, intervalMs = 20, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError === undefined ? '' : `: ${messageOf(lastError)}`;
      throw new Error(`${what} not reached within ${timeoutMs} ms${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Rejects if `promise` has not settled within `ms`: how a test fails on a hang. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return withTimeout(promise, ms, () => new Error(`${what} did not settle within ${ms} ms`));
}
