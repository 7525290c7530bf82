/*
 * Entry ids in the Redis Streams form `<ms>-<seq>`. The in-memory adapters mint them the same
 * way, so ids look, sort and compare alike whichever broker produced them.
 */

const STREAM_ID = /^(\d+)-(\d+)$/;

/**
 * What a typed entry id must look like, `<ms>-<seq>` in digits: the check every edge (CLI
 * argument, Observatory request) applies before asking a broker, shared so they agree.
 */
export const STREAM_ID_FORM = STREAM_ID;

/** Redis keeps both parts of an id as unsigned 64-bit integers; larger ones cannot exist. */
const MAX_ID_PART = 2n ** 64n - 1n;

/** The smallest possible id: "before everything" for a group created from `0`. */
export const ZERO_STREAM_ID = '0-0';

/**
 * Whether `id` is an entry id a stream could hold: the `<ms>-<seq>` form (ids typed by a user may
 * not have it) with both parts in range (Redis refuses larger ones with a syntax error).
 */
export function isStreamId(id: string): boolean {
  const parts = STREAM_ID.exec(id);
  return (
    parts !== null &&
    parts.slice(1).every((part) => part.length <= 20 && BigInt(part) <= MAX_ID_PART)
  );
}

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

/**
 * The milliseconds part of a `<ms>-<seq>` id — when the broker took the entry — or `NaN` when
 * `id` has no such part. Reads the digits in place: it runs once per message read.
 */
export function streamIdTimeMs(id: string): number {
  let ms = 0;
  for (let index = 0; index < id.length; index++) {
    const code = id.charCodeAt(index);
    if (code === DASH) return index > 0 ? ms : NaN;
    if (code < DIGIT_0 || code > DIGIT_9) return NaN;
    ms = ms * 10 + (code - DIGIT_0);
  }
  return NaN;
}

const DASH = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
