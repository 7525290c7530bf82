import {
  lockKeyOf,
  type AggregateLocks,
  type Attempt,
  type Release,
} from '../model/aggregate-locks.js';
import { HotAggregateError } from '../model/hot-aggregate.error.js';
import { ConcurrencyError } from '../core/errors/concurrency.error.js';
import { ConflictProgress } from './conflict-progress.js';

/** How one piece of work retries its optimistic-concurrency conflicts. */
export interface ConflictRetryOptions {
  /** Longest time spent retrying after the first conflict before it counts as a failure. */
  readonly budgetMs: number;
  /** Ends the retries (shutdown): the work rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Runs `work` again while it loses optimistic-concurrency races and others keep making
 * progress (see {@link ConflictProgress}): after a conflict it waits a jittered backoff, then
 * tries again holding the in-process lock of the aggregate it conflicted on (see
 * {@link AggregateLocks}), so the writers of one busy aggregate in this process take turns
 * instead of racing each other. A conflict that stops making progress, or outlasts the budget,
 * is thrown as it is. `work` (an async function: it reports failure by rejecting) is given
 * its attempt, for the unit of work it runs (`UnitOfWorkOptions.attempt`).
 */
export function retryOnConflict<T>(
  work: (attempt: Attempt) => Promise<T>,
  locks: AggregateLocks,
  options: ConflictRetryOptions,
): Promise<T> {
  // Most first attempts win: they hold no lock and need no loop.
  return work({ locks, holding: undefined }).catch((error: unknown) =>
    retryAfter(error, work, locks, options),
  );
}

/** The attempts after a failed one, each holding the lock of the aggregate it conflicted on. */
async function retryAfter<T>(
  failure: unknown,
  work: (attempt: Attempt) => Promise<T>,
  locks: AggregateLocks,
  { budgetMs, signal }: ConflictRetryOptions,
): Promise<T> {
  let progress: ConflictProgress | undefined;
  let error = failure;
  for (;;) {
    let lockKey: string;
    if (error instanceof HotAggregateError) {
      lockKey = error.key; // stopped before its first write: wait for the lock, no pause
    } else {
      if (!(error instanceof ConcurrencyError)) throw error;
      lockKey = lockKeyOf(error.category, error.id);
      locks.markHot(lockKey);
      progress ??= new ConflictProgress(budgetMs);
      const pause = progress.next(error);
      if (pause === undefined) throw error;
      await pauseFor(pause, signal);
    }
    const release: Release = await locks.acquire(lockKey, signal);
    try {
      return await work({ locks, holding: lockKey });
    } catch (next) {
      error = next;
    } finally {
      release();
    }
  }
}

function pauseFor(ms: number, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
