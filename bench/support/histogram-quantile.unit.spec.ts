import { bucketsSince, histogramBuckets, histogramQuantile } from './histogram-quantile.js';

const buckets = (...pairs: Array<[number, number]>) => pairs.map(([le, count]) => ({ le, count }));

describe('histogramQuantile', () => {
  it('interpolates linearly inside the bucket that holds the rank', () => {
    // 10 observations ≤ 1, 30 more in (1, 2], none above.
    const histogram = buckets([1, 10], [2, 40], [5, 40], [Infinity, 40]);
    expect(histogramQuantile(0.5, histogram)).toBeCloseTo(1 + 10 / 30);
    expect(histogramQuantile(0.25, histogram)).toBeCloseTo(1);
    expect(histogramQuantile(1, histogram)).toBeCloseTo(2);
  });

  it('takes 0 as the lower bound of the first bucket', () => {
    expect(histogramQuantile(0.5, buckets([0.004, 8], [Infinity, 8]))).toBeCloseTo(0.002);
  });

  it('answers the highest finite bound for a rank in +Inf, and NaN for no observations', () => {
    expect(histogramQuantile(0.99, buckets([1, 5], [5, 9], [Infinity, 10]))).toBe(5);
    expect(histogramQuantile(0.5, buckets([1, 0], [Infinity, 0]))).toBeNaN();
    expect(histogramQuantile(0.5, [])).toBeNaN();
  });
});

describe('histogramBuckets', () => {
  const worker = [
    '# HELP protean_hop_seconds …',
    'protean_hop_seconds_bucket{le="0.001",hop="handler"} 2',
    'protean_hop_seconds_bucket{le="0.01",hop="handler"} 5',
    'protean_hop_seconds_bucket{le="+Inf",hop="handler"} 6',
    'protean_hop_seconds_sum{hop="handler"} 0.03',
    'protean_hop_seconds_count{hop="handler"} 6',
    'protean_hop_seconds_bucket{le="0.001",hop="transaction"} 1',
    'protean_hop_seconds_bucket{le="0.01",hop="transaction"} 1',
    'protean_hop_seconds_bucket{le="+Inf",hop="transaction"} 1',
    'protean_handler_duration_seconds_bucket{le="0.001",handler="h",stream="s"} 99',
  ].join('\n');
  const api = [
    'protean_hop_seconds_bucket{le="0.001",hop="transaction"} 3',
    'protean_hop_seconds_bucket{le="0.01",hop="transaction"} 4',
    'protean_hop_seconds_bucket{le="+Inf",hop="transaction"} 4',
  ].join('\n');

  it('reads one histogram by label, adding up the processes', () => {
    const byHop = histogramBuckets('protean_hop_seconds', 'hop', worker, api);
    expect([...byHop.keys()]).toEqual(['handler', 'transaction']);
    expect(byHop.get('handler')).toEqual(buckets([0.001, 2], [0.01, 5], [Infinity, 6]));
    expect(byHop.get('transaction')).toEqual(buckets([0.001, 4], [0.01, 5], [Infinity, 5]));
  });

  it('subtracts an earlier scrape, bucket by bucket', () => {
    const later = buckets([0.001, 4], [0.01, 9], [Infinity, 10]);
    expect(bucketsSince(buckets([0.001, 1], [0.01, 2], [Infinity, 2]), later)).toEqual(
      buckets([0.001, 3], [0.01, 7], [Infinity, 8]),
    );
    expect(bucketsSince(undefined, later)).toEqual(later);
  });
});
