import { ConcurrencyError } from '../domain/domain.errors.js';

/**
 * Runs `work` again when it lost an optimistic-concurrency race: the second attempt loads the
 * winner's state, so a short bounded retry resolves ordinary contention without the caller.
 */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= attempts) throw error;
    }
  }
}
