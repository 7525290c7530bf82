/** A subscription's processed count at one sample; `null` where the broker cannot tell. */
export interface ProcessedCount {
  readonly handler: string;
  readonly stream: string;
  readonly processed: number | null;
}

/** The key of a subscription in samples: its handler and stream. */
export const subscriptionKey = (s: { handler: string; stream: string }): string =>
  `${s.handler}\n${s.stream}`;

/**
 * Turns successive processed counts into rates: messages finished per second since the previous
 * sample, for every worker together (the counts are the group's, from the broker). The first
 * sample, and a subscription not seen before, have no rate; a count that went down (a group
 * created anew) reads as 0, never negative.
 */
export class ProcessedRates {
  private previous: { at: number; processed: Map<string, number> } | undefined;

  /** The rate of each of `counts` at `at` (ms), in their order. */
  next(counts: readonly ProcessedCount[], at: number): (number | null)[] {
    const processed = new Map<string, number>();
    const seconds = this.previous ? (at - this.previous.at) / 1000 : 0;
    const rates = counts.map((count) => {
      const key = subscriptionKey(count);
      if (count.processed !== null) processed.set(key, count.processed);
      const before = this.previous?.processed.get(key);
      return count.processed !== null && before !== undefined && seconds > 0
        ? Math.max(0, (count.processed - before) / seconds)
        : null;
    });
    this.previous = { at, processed };
    return rates;
  }
}
