import { lockKeyOf, type AggregateLocks, type Release } from '../model/aggregate-locks.js';
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
 * is thrown as it is.
 */
export async function retryOnConflict<T>(
  work: () => Promise<T>,
  locks: AggregateLocks,
  { budgetMs, signal }: ConflictRetryOptions,
): Promise<T> {
  let progress: ConflictProgress | undefined;
  let lockKey: string | undefined;
  for (;;) {
    const release: Release | undefined =
      lockKey === undefined ? undefined : await locks.acquire(lockKey, signal);
    let pause: number;
    try {
      return await locks.runAttempt(lockKey, work);
    } catch (error) {
      if (error instanceof HotAggregateError) {
        lockKey = error.key; // stopped before its first write: wait for the lock, no pause
        continue;
      }
      if (!(error instanceof ConcurrencyError)) throw error;
      lockKey = lockKeyOf(error.category, error.id);
      locks.markHot(lockKey);
      progress ??= new ConflictProgress(budgetMs);
      const next = progress.next(error);
      if (next === undefined) throw error;
      pause = next;
    } finally {
      release?.();
    }
    await pauseFor(pause, signal);
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
