import { backoffDelay } from './exponential-backoff.js';

describe('backoffDelay', () => {
  const policy = { baseMs: 1000, maxMs: 10_000, jitter: 0 };

  it('doubles from the base for each retry', () => {
    expect([1, 2, 3, 4].map((retry) => backoffDelay(policy, retry))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('is capped at the maximum', () => {
    expect(backoffDelay(policy, 5)).toBe(10_000);
    expect(backoffDelay(policy, 500)).toBe(10_000);
  });

  it('spreads by ± jitter around the delay', () => {
    const jittered = { ...policy, jitter: 0.2 };
    expect(backoffDelay(jittered, 2, () => 0)).toBe(1600);
    expect(backoffDelay(jittered, 2, () => 1)).toBe(2400);
    expect(backoffDelay(jittered, 2, () => 0.5)).toBe(2000);
  });

  it('is 0 with a zero base', () => {
    expect(backoffDelay({ baseMs: 0, maxMs: 1000, jitter: 0.5 }, 3)).toBe(0);
  });
});
