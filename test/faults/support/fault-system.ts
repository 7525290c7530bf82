import { BookshelfSystem, type BookshelfSystemOptions } from '../../support/bookshelf-system.js';

/**
 * Settings every fault scenario shares, on top of the chapter's domain.toml: a reclaim
 * threshold and an outbox lease short enough that a crash is recovered within the test's
 * time, and outbox batches of 100 rows (the chapter's 10 is a safe default, not a fast one).
 */
export const FAULT_ENV: NodeJS.ProcessEnv = {
  // The scenarios are about broker streams (reclaim, dead letters): as the chapter's file says.
  PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_TYPE: 'stream',
  PROTEAN_SERVER__MIN_IDLE_MS: '3000',
  PROTEAN_DATABASES__DEFAULT__IDLE_IN_TRANSACTION_TIMEOUT_MS: '3000',
  PROTEAN_OUTBOX__LEASE_SECONDS: '5',
  PROTEAN_OUTBOX__MESSAGES_PER_TICK: '100',
  LOG_LEVEL: 'warn',
};

/** The bookshelf as real processes, with {@link FAULT_ENV} and `env` on top. */
export function startFaultSystem(
  env: NodeJS.ProcessEnv = {},
  options: BookshelfSystemOptions = {},
): Promise<BookshelfSystem> {
  return BookshelfSystem.start({ ...FAULT_ENV, ...env }, options);
}

/**
 * For a `describe` block whose tests each start a system: registers an `afterEach` that stops
 * the one its test started, and returns the function that starts it ({@link startFaultSystem}).
 */
export function systemPerTest(): typeof startFaultSystem {
  let system: BookshelfSystem | undefined;
  afterEach(async () => {
    await system?.stop();
    system = undefined;
  });
  return async (env, options) => (system = await startFaultSystem(env, options));
}
