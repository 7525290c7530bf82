import { retryDelaySeconds, type OutboxBackoffPolicy } from './retry-backoff.js';

const policy: OutboxBackoffPolicy = { base_delay_seconds: 60, max_delay_seconds: 3600, jitter: 0 };

describe('retryDelaySeconds', () => {
  it('doubles from the base delay with each failure', () => {
    expect([0, 1, 2, 3].map((n) => retryDelaySeconds(n, policy))).toEqual([60, 120, 240, 480]);
  });

  it('never waits longer than the maximum, however many failures', () => {
    expect(retryDelaySeconds(6, policy)).toBe(3600);
    expect(retryDelaySeconds(5000, policy)).toBe(3600);
  });

  it('moves the delay by at most ±jitter of itself', () => {
    const jittered = { ...policy, jitter: 0.2 };
    expect(retryDelaySeconds(1, jittered, () => 0)).toBeCloseTo(96);
    expect(retryDelaySeconds(1, jittered, () => 0.5)).toBeCloseTo(120);
    expect(retryDelaySeconds(1, jittered, () => 0.999999)).toBeCloseTo(144);
    expect(retryDelaySeconds(6, jittered, () => 0)).toBeCloseTo(2880);
  });

  it('spreads delays of rows that failed together', () => {
    const delays = Array.from({ length: 50 }, () =>
      retryDelaySeconds(0, { ...policy, jitter: 0.5 }),
    );
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...delays)).toBeLessThanOrEqual(90);
    expect(new Set(delays).size).toBeGreaterThan(40);
  });

  it('retries at once with a zero base delay', () => {
    expect(retryDelaySeconds(3, { ...policy, base_delay_seconds: 0, jitter: 0.2 })).toBe(0);
  });
});
