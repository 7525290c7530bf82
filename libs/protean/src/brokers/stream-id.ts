/*
 * Entry ids in the Redis Streams form `<ms>-<seq>`. The in-memory adapters mint them the same
 * way, so ids look, sort and compare alike whichever broker produced them.
 */

const STREAM_ID = /^(\d+)-(\d+)$/;

/** The smallest possible id: "before everything" for a group created from `0`. */
export const ZERO_STREAM_ID = '0-0';

/** Whether `id` has the `<ms>-<seq>` form (ids typed by a user may not). */
export const isStreamId = (id: string): boolean => STREAM_ID.test(id);

/** Orders two `<ms>-<seq>` ids; negative when `a` comes first. */
export function compareStreamIds(a: string, b: string): number {
  const left = STREAM_ID.exec(a);
  const right = STREAM_ID.exec(b);
  if (!left || !right) throw new TypeError(`not a stream id: ${left ? b : a}`);
  return Number(left[1]) - Number(right[1]) || Number(left[2]) - Number(right[2]);
}

/** Mints strictly increasing ids from a clock that may stall or step back. */
export class StreamIdGenerator {
  private lastMs = 0;
  private lastSeq = -1;

  constructor(private readonly now: () => number = Date.now) {}

  /** The next id, greater than every id minted before. */
  next(): string {
    const ms = Math.max(this.now(), this.lastMs);
    this.lastSeq = ms === this.lastMs ? this.lastSeq + 1 : 0;
    this.lastMs = ms;
    return `${ms}-${this.lastSeq}`;
  }
}
