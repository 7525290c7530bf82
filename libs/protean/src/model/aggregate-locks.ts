import { HotAggregateError } from './hot-aggregate.error.js';

/** Gives a lock back. */
export type Release = () => void;

/** How long an aggregate counts as hot after its last conflict in this process. */
export const HOT_FOR_MS = 2_000;

/** Hot aggregates remembered before cooled-down ones are swept out. */
const PRUNE_AT = 1000;

/** The lock key of an aggregate (or read-model document): its category and id. */
export const lockKeyOf = (category: string, id: string): string => `${category}\u0000${id}`;

/** One attempt of a unit of work: the locks it takes turns on, and the one it holds. */
export interface Attempt {
  readonly locks: AggregateLocks;
  /** The key this attempt holds the lock of, if any. */
  readonly holding: string | undefined;
}

/**
 * In-process locks by aggregate, granted in request order, and the aggregates that are hot
 * (had a concurrency conflict here in the last {@link HOT_FOR_MS}). Writers of a hot aggregate
 * in one process take turns on its lock instead of all losing the race to each other: a unit
 * of work retried after a conflict runs holding the lock of the aggregate it conflicted on, and
 * a first attempt that is about to load a hot aggregate stops and waits for the lock too.
 *
 * Deadlock-free by construction: a lock is taken only between attempts, outside any
 * transaction, and an attempt holds one lock at most and waits for nothing else in this process
 * while it holds it — only for the database, where no transaction ever waits for these locks.
 * An attempt holding a lock never stops for another hot aggregate, so two hot aggregates in
 * one unit of work cannot send it back and forth.
 */
export class AggregateLocks {
  /** Per key: resolves when the last requester's turn is over. Absent when free. */
  private readonly tails = new Map<string, Promise<void>>();
  /** Per hot key: until when it counts as hot. */
  private readonly hotUntil = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Resolves once `key` is held; rejects with the signal's reason if it aborts first. */
  async acquire(key: string, signal?: AbortSignal): Promise<Release> {
    signal?.throwIfAborted();
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((done) => (release = done));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    const releaseOnce = () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    try {
      await abortable(previous, signal);
    } catch (error) {
      releaseOnce(); // our turn still comes: pass it on at once
      throw error;
    }
    return releaseOnce;
  }

  /** Records a conflict on `key`: it is hot for the next {@link HOT_FOR_MS}. */
  markHot(key: string): void {
    const now = this.now();
    // Forget cooled-down aggregates now and then, so the map stays as small as what is hot.
    if (this.hotUntil.size >= PRUNE_AT) {
      for (const [hot, until] of this.hotUntil) if (until <= now) this.hotUntil.delete(hot);
    }
    this.hotUntil.set(key, now + HOT_FOR_MS);
  }

  isHot(key: string): boolean {
    const until = this.hotUntil.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.hotUntil.delete(key);
    return false;
  }

  /** Keys held or waited for. */
  get size(): number {
    return this.tails.size;
  }
}

/**
 * Called before an aggregate (or document) is loaded in a unit of work, with the unit's
 * attempt: an attempt holding no lock stops here with {@link HotAggregateError} when the
 * aggregate is hot in this process. A unit of work run outside {@link retryOnConflict} has no
 * attempt and never stops.
 */
export function waitYourTurnIfHot(
  attempt: Attempt | undefined,
  category: string,
  id: string,
): void {
  if (!attempt || attempt.holding !== undefined) return;
  const key = lockKeyOf(category, id);
  if (attempt.locks.isHot(key)) throw new HotAggregateError(key);
}

function abortable(turn: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return turn;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    void turn.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
