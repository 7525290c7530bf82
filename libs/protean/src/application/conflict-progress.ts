import type { ConcurrencyError } from '../core/errors/concurrency.error.js';
import { backoffDelay, type BackoffPolicy } from '../core/async/exponential-backoff.js';

/** Pauses between tries after a conflict: short, doubling, spread widely so racers fall apart. */
export const CONFLICT_BACKOFF: BackoffPolicy = { baseMs: 5, maxMs: 500, jitter: 0.5 };
/**
 * Conflicts in a row on one aggregate whose found version did not move: nobody else is making
 * progress there, so the conflict is not contention (an insert of an id that exists, a stale
 * cache) and retrying it here cannot help.
 */
export const STALLED_CONFLICTS = 5;

/**
 * Decides, conflict after conflict, whether one piece of work should try again. An optimistic
 * concurrency conflict is the price of a busy aggregate: while the version found at each
 * conflict keeps moving, others are committing and a retry reads their state, so the work goes
 * on (with jittered backoff) until `budgetMs` since its first conflict is spent. The same
 * conflict repeating with nothing moving is a real failure.
 */
export class ConflictProgress {
  private readonly startedAt: number;
  private conflicts = 0;
  private stalled = 0;
  private last: { readonly target: string; readonly found: unknown } | undefined;

  constructor(
    private readonly budgetMs: number,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.startedAt = now();
  }

  /** The pause before trying again after `conflict`, or `undefined` to give up. */
  next(conflict: ConcurrencyError): number | undefined {
    const target = `${conflict.category}\u0000${conflict.id}`;
    const found = conflict.foundVersion;
    const moved =
      this.last === undefined ||
      this.last.target !== target ||
      (found !== undefined && found !== this.last.found);
    this.stalled = moved ? 0 : this.stalled + 1;
    this.last = { target, found };
    this.conflicts++;
    if (this.stalled >= STALLED_CONFLICTS) return undefined;
    if (this.now() - this.startedAt >= this.budgetMs) return undefined;
    return backoffDelay(CONFLICT_BACKOFF, this.conflicts, this.random);
  }

  /** Conflicts seen so far. */
  get count(): number {
    return this.conflicts;
  }
}
