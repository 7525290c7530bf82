import type { BookshelfSystem } from '../support/bookshelf-system.js';
import { startFaultSystem } from './support/fault-system.js';
import { addBooks, Ledger, placeOrders, settle } from './support/order-load.js';
import { recordScenario } from './support/report.js';

/**
 * Issue 6, scenarios 1 and 9: steady load with no fault, and twice the sustainable rate.
 * One API and one worker process on PostgreSQL and a Redis of the test's own.
 */

/** The rate one worker on a 2-core machine keeps up with, API and load generator beside it. */
export const SUSTAINABLE_RATE = 150;
const MINUTE = 60_000;

describe('faults: load', () => {
  let system: BookshelfSystem | undefined;

  afterEach(async () => {
    await system?.stop();
    system = undefined;
  });

  it(
    '1. baseline: 5,000 orders at a steady rate, every one confirmed once',
    async () => {
      system = await startFaultSystem();
      const { url } = await system.startApi();
      const worker = await system.startWorker();
      const books = await addBooks(system, url);
      const ledger = new Ledger();

      const started = Date.now();
      await placeOrders(url, books, ledger, { rate: 2 * SUSTAINABLE_RATE, count: 5000 });
      const outcome = await settle(system, ledger, books, 90_000);
      const seconds = (Date.now() - started) / 1000;

      recordScenario({
        scenario: 1,
        name: 'Baseline, no fault',
        sent: outcome.sent,
        completed: outcome.completed,
        lost: outcome.lost,
        duplicated: outcome.duplicated,
        note:
          `${outcome.accepted} of ${outcome.sent} accepted (202) at ${2 * SUSTAINABLE_RATE}/s; ` +
          `all confirmed in ${seconds.toFixed(1)} s (${(outcome.completed / seconds).toFixed(0)} orders/s end to end). ` +
          `Checked: each order's aggregate, summary and outbox rows agree; stock = initial − confirmed.`,
      });
      expect(outcome.problems).toEqual([]);
      expect(outcome.accepted).toBe(5000);
      expect(outcome).toMatchObject({ lost: 0, duplicated: 0, completed: 5000 });
      expect(worker.child.exitCode).toBeNull();
    },
    3 * MINUTE,
  );
});
