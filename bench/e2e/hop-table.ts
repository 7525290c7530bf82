import { MESSAGE_HOPS } from 'nestjs-protean';
import {
  bucketsSince,
  histogramBuckets,
  histogramQuantile,
  type CumulativeBucket,
} from '../support/histogram-quantile.js';

/** One hop over a stretch of the run, every process together. */
export interface HopFigures {
  readonly count: number;
  /** Estimated from the buckets; `null` when nothing was observed. */
  readonly p50_ms: number | null;
  readonly p99_ms: number | null;
}

export type HopScrape = Map<string, CumulativeBucket[]>;

/** `protean_hop_seconds` of every process (API and workers), added up by hop. */
export function hopsOf(texts: readonly string[]): HopScrape {
  return histogramBuckets('protean_hop_seconds', 'hop', ...texts);
}

/** Each hop's count, p50 and p99 between two scrapes, in the order a message crosses them. */
export function hopTable(before: HopScrape, after: HopScrape): Record<string, HopFigures> {
  const ms = (seconds: number) =>
    Number.isNaN(seconds) ? null : Number((seconds * 1000).toFixed(2));
  return Object.fromEntries(
    MESSAGE_HOPS.map((hop) => {
      const buckets = bucketsSince(before.get(hop), after.get(hop) ?? []);
      return [
        hop,
        {
          count: buckets.at(-1)?.count ?? 0,
          p50_ms: ms(histogramQuantile(0.5, buckets)),
          p99_ms: ms(histogramQuantile(0.99, buckets)),
        },
      ];
    }),
  );
}
