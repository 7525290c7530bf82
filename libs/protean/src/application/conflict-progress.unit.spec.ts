import { ConcurrencyError } from '../core/errors/concurrency.error.js';
import { CONFLICT_BACKOFF, ConflictProgress, STALLED_CONFLICTS } from './conflict-progress.js';

const conflict = (found: number | string | undefined, id = 'b1') =>
  new ConcurrencyError('book', id, typeof found === 'number' ? found - 1 : 0, found);

describe('ConflictProgress', () => {
  it('goes on for as long as the found version keeps moving, within the budget', () => {
    const progress = new ConflictProgress(
      60_000,
      () => 0,
      () => 0.5,
    );
    for (let version = 2; version < 1000; version++) {
      expect(progress.next(conflict(version))).toBeGreaterThanOrEqual(0);
    }
    expect(progress.count).toBe(998);
  });

  it('backs off with jitter, doubling from the base up to the cap', () => {
    const progress = new ConflictProgress(
      60_000,
      () => 0,
      () => 0.5,
    );
    const pauses = Array.from({ length: 12 }, (_, n) => progress.next(conflict(n + 2))!);
    expect(pauses.slice(0, 3)).toEqual([5, 10, 20]);
    expect(Math.max(...pauses)).toBe(CONFLICT_BACKOFF.maxMs);
  });

  it('gives up when the same conflict repeats with nothing moving', () => {
    const progress = new ConflictProgress(60_000, () => 0);
    expect(progress.next(conflict(7))).toBeDefined();
    for (let stall = 1; stall < STALLED_CONFLICTS; stall++)
      expect(progress.next(conflict(7))).toBeDefined();
    expect(progress.next(conflict(7))).toBeUndefined();
  });

  it('takes a conflict on another aggregate, or a moved version, as progress', () => {
    const progress = new ConflictProgress(60_000, () => 0);
    for (let round = 0; round < 3 * STALLED_CONFLICTS; round++) {
      expect(progress.next(conflict(7, round % 2 ? 'b1' : 'b2'))).toBeDefined();
    }
  });

  it('treats an unknown found version as no movement', () => {
    const progress = new ConflictProgress(60_000, () => 0);
    const pauses = Array.from({ length: STALLED_CONFLICTS + 1 }, () =>
      progress.next(conflict(undefined)),
    );
    expect(pauses.at(-1)).toBeUndefined();
  });

  it('gives up once the budget since the first conflict is spent, moving or not', () => {
    let now = 1_000;
    const progress = new ConflictProgress(10_000, () => now);
    expect(progress.next(conflict(2))).toBeDefined();
    now += 9_999;
    expect(progress.next(conflict(3))).toBeDefined();
    now += 1;
    expect(progress.next(conflict(4))).toBeUndefined();
  });
});
