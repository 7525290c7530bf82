import { systemPerTest } from './support/fault-system.js';
import {
  confirmedOrders,
  counts,
  placeOrders,
  settle,
  startOrderScenario,
} from './support/order-load.js';
import { recordScenario } from './support/report.js';

/**
 * Issue 6, scenarios 1 and 9: steady load with no fault, and twice the sustainable rate.
 * One API and one worker process on PostgreSQL and a Redis of the test's own.
 */

/** The baseline's sending rate: steady, and what one worker keeps up with on 2 idle cores. */
const BASELINE_RATE = 150;
const MINUTE = 60_000;
/** Orders/s end to end the baseline measured (sending to all confirmed), for scenario 9. */
let sustainableRate: number | undefined;

describe('faults: load', () => {
  const startSystem = systemPerTest();

  it(
    '1. baseline: 5,000 orders at a steady rate, every one confirmed once',
    async () => {
      const system = await startSystem();
      const { url, worker, books, ledger } = await startOrderScenario(system);

      const started = Date.now();
      await placeOrders(url, books, ledger, { rate: BASELINE_RATE, count: 5000 });
      const outcome = await settle(system, ledger, books, 2 * MINUTE);
      const seconds = (Date.now() - started) / 1000;
      sustainableRate = Math.min(BASELINE_RATE, outcome.completed / seconds);

      recordScenario({
        scenario: 1,
        name: 'Baseline, no fault',
        ...counts(outcome),
        note:
          `${outcome.accepted} of ${outcome.sent} accepted (202), sent at up to ${BASELINE_RATE}/s; ` +
          `all confirmed in ${seconds.toFixed(1)} s (${(outcome.completed / seconds).toFixed(0)} orders/s end to end). ` +
          `Checked: each order's aggregate, summary and outbox rows agree; stock = initial − confirmed.`,
      });
      expect(outcome.problems).toEqual([]);
      expect(outcome.accepted).toBe(5000);
      expect(outcome.unacknowledged).toBe(0);
      expect(outcome).toMatchObject({ lost: 0, duplicated: 0, completed: 5000 });
      expect(worker.child.exitCode).toBeNull();
    },
    3 * MINUTE,
  );

  it(
    '9. overload: twice the sustainable rate for 30 s — no crash, no eviction, the backlog drains',
    async () => {
      // Run alone (without the baseline before it), assume what a loaded 2-core machine keeps.
      const rate = Math.round(2 * (sustainableRate ?? 40));
      const system = await startSystem();
      const { url, api, worker, books, ledger } = await startOrderScenario(system, [
        // Trimming under a backlog must never drop what a group has not consumed yet.
        { PROTEAN_BROKERS__DEFAULT__MAX_STREAM_LENGTH: '1000' },
      ]);

      const started = Date.now();
      let peakBacklog = 0;
      let sending = true;
      const sampling = (async () => {
        while (sending) {
          peakBacklog = Math.max(
            peakBacklog,
            ledger.accepted.size - (await confirmedOrders(system)),
          );
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      })();
      await placeOrders(url, books, ledger, { rate, count: 30 * rate, concurrency: 64 });
      sending = false;
      await sampling;
      const sentFor = (Date.now() - started) / 1000;
      const loadEnded = Date.now();
      const outcome = await settle(system, ledger, books, 3 * MINUTE);
      const drainSeconds = Number(((Date.now() - loadEnded) / 1000).toFixed(1));
      const info = await system.redisClient().info('stats');
      const evicted = Number(/evicted_keys:(\d+)/.exec(info)?.[1]);

      recordScenario({
        scenario: 9,
        name: 'Overload: twice the sustainable rate for 30 s',
        ...counts(outcome),
        recoverySeconds: drainSeconds,
        note:
          `Offered ${rate}/s (twice the ${(rate / 2).toFixed(0)}/s the baseline sustained) for 30 s; ` +
          `sent in ${sentFor.toFixed(1)} s, ${ledger.refusedCount} refused` +
          `${ledger.refusedCount > 0 ? ` (${[...ledger.refused].map(([status, n]) => `${n}× ${status}`).join(', ')})` : ''}. Peak backlog ` +
          `${peakBacklog} orders accepted but not confirmed. API and worker up throughout; ` +
          `Redis evicted ${evicted} keys, and trimming (max_stream_length 1000) dropped nothing unconsumed. ` +
          `Recovery: end of load to backlog drained.`,
      });
      expect(outcome.problems).toEqual([]);
      expect(outcome.unacknowledged).toBe(0);
      expect(outcome).toMatchObject({ lost: 0, duplicated: 0, completed: outcome.accepted });
      expect(outcome.accepted).toBe(outcome.sent);
      expect(evicted).toBe(0);
      expect(api.child.exitCode).toBeNull();
      expect(worker.child.exitCode).toBeNull();
    },
    5 * MINUTE,
  );
});
