/** One bucket of a Prometheus histogram: observations ≤ `le`, counted cumulatively. */
export interface CumulativeBucket {
  /** The bucket's upper bound; `Infinity` for `+Inf`. */
  readonly le: number;
  readonly count: number;
}

/**
 * The q-quantile (0..1) of a histogram estimated from its cumulative buckets (ascending `le`,
 * `+Inf` last), as Prometheus' `histogram_quantile` does: the bucket holding the q·total-th
 * observation, linearly interpolated between its bounds (the first bucket's lower bound is 0).
 * A quantile in the `+Inf` bucket is the highest finite bound; `NaN` when nothing was observed.
 */
export function histogramQuantile(q: number, buckets: readonly CumulativeBucket[]): number {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  const index = buckets.findIndex((bucket) => bucket.count >= rank);
  const bucket = buckets[index];
  const lower = index === 0 ? 0 : buckets[index - 1].le;
  if (bucket.le === Infinity) return lower;
  const below = index === 0 ? 0 : buckets[index - 1].count;
  const inBucket = bucket.count - below;
  if (inBucket === 0) return lower;
  return lower + ((bucket.le - lower) * (rank - below)) / inBucket;
}

/**
 * The buckets of histogram `name` in a Prometheus text exposition, by the value of label
 * `by`; several texts (one per process) add up bucket by bucket.
 */
export function histogramBuckets(
  name: string,
  by: string,
  ...texts: readonly string[]
): Map<string, CumulativeBucket[]> {
  const line = new RegExp(`^${name}_bucket\\{([^}]*)\\} (\\S+)$`, 'gm');
  const counts = new Map<string, Map<number, number>>();
  for (const text of texts) {
    for (const [, labelText, value] of text.matchAll(line)) {
      const labels = Object.fromEntries(
        [...labelText.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, label]) => [key, label]),
      );
      const key = labels[by];
      if (key === undefined || labels.le === undefined) continue;
      const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
      const byLe = counts.get(key) ?? new Map<number, number>();
      byLe.set(le, (byLe.get(le) ?? 0) + Number(value));
      counts.set(key, byLe);
    }
  }
  return new Map(
    [...counts].map(([key, byLe]) => [
      key,
      [...byLe].sort(([a], [b]) => a - b).map(([le, count]) => ({ le, count })),
    ]),
  );
}

/** `after` less `before`, bucket by bucket: what was observed between two scrapes. */
export function bucketsSince(
  before: readonly CumulativeBucket[] | undefined,
  after: readonly CumulativeBucket[],
): CumulativeBucket[] {
  const earlier = new Map(before?.map((bucket) => [bucket.le, bucket.count]));
  return after.map(({ le, count }) => ({ le, count: count - (earlier.get(le) ?? 0) }));
}
