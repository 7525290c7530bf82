import { SYSTEM_CLOCK, type Clock } from './clock.js';

/**
 * `work`, rejected with `timeoutError()` if it has not settled within `ms`. The timer is cleared
 * as soon as `work` settles and never keeps the process alive on its own.
 */
export function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  timeoutError: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(timeoutError()), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Whether `work` settles within `ms` (`true`) or not (`false`): a wait bounded by a deadline,
 * such as a drain at shutdown. A rejection of `work` is passed on.
 */
export async function settlesWithin(
  work: Promise<unknown>,
  ms: number,
  clock: Clock = SYSTEM_CLOCK,
): Promise<boolean> {
  let cancel: (() => void) | undefined;
  try {
    return await Promise.race([
      work.then(() => true),
      new Promise<boolean>((done) => (cancel = clock.schedule(ms, () => done(false)))),
    ]);
  } finally {
    cancel?.();
  }
}
