import type { ProteanStatus } from '../status/protean-status.js';
import type { StatusSnapshot } from '../status/status-snapshot.js';
import { HISTORY_POINTS, ThroughputHistory } from './throughput-history.js';

type Row = { handler: string; stream: string; processed: number | null; lag: number | null };

/** A status whose subscriptions the test sets before each sample. */
function statusOf(rows: () => Row[]): ProteanStatus {
  return {
    snapshot: async () => ({ subscriptions: rows() }) as unknown as StatusSnapshot,
  } as unknown as ProteanStatus;
}

describe('ThroughputHistory', () => {
  it('turns processed counts into rates per subscription, one point per sample', async () => {
    let rows: Row[] = [{ handler: 'H', stream: 's', processed: 100, lag: 7 }];
    const history = new ThroughputHistory(statusOf(() => rows));
    await history.sample(0);
    rows = [{ handler: 'H', stream: 's', processed: 150, lag: 2 }];
    await history.sample(10_000);
    rows = [{ handler: 'H', stream: 's', processed: 40, lag: null }]; // the group made anew
    await history.sample(20_000);
    expect(history.all()).toEqual([
      {
        handler: 'H',
        stream: 's',
        points: [
          [0, null, 7],
          [10_000, 5, 2],
          [20_000, 0, null],
        ],
      },
    ]);
  });

  it('keeps one hour per subscription, and only the subscriptions there are', async () => {
    let rows: Row[] = [
      { handler: 'H', stream: 's', processed: 0, lag: 0 },
      { handler: 'Gone', stream: 's', processed: 0, lag: 0 },
    ];
    const history = new ThroughputHistory(statusOf(() => rows));
    for (let n = 0; n < HISTORY_POINTS + 50; n++) {
      if (n === 10) rows = rows.slice(0, 1);
      rows = rows.map((row) => ({ ...row, processed: n }));
      await history.sample(n * 10_000);
    }
    const [only, ...others] = history.all();
    expect(others).toEqual([]);
    expect(only.points).toHaveLength(HISTORY_POINTS);
    expect(only.points[0][0]).toBe(50 * 10_000);
    expect(only.points.at(-1)).toEqual([(HISTORY_POINTS + 49) * 10_000, 0.1, 0]);
  });

  it('skips a beat when the status fails, and goes on', async () => {
    let fail = true;
    const history = new ThroughputHistory({
      snapshot: async () => {
        if (fail) throw new Error('broker down');
        return { subscriptions: [{ handler: 'H', stream: 's', processed: 1, lag: 0 }] };
      },
    } as unknown as ProteanStatus);
    await history.sample(0);
    expect(history.all()).toEqual([]);
    fail = false;
    await history.sample(10_000);
    expect(history.all()[0].points).toEqual([[10_000, null, 0]]);
  });
});
