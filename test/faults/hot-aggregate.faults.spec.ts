import type { BookshelfSystem } from '../support/bookshelf-system.js';
import { postJson } from '../support/bookshelf-system.js';
import { PROCESS_POLL } from '../support/processes.js';
import { startFaultSystem } from './support/fault-system.js';
import { decisionsOf, deadLetterCount, waitForDecisions } from './support/hot-aggregate.js';
import { Ledger, placeOrders } from './support/order-load.js';
import { recordScenario } from './support/report.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 12, scenario 12: many customers order one popular book at once. Three workers run
 * `ReserveStockHandler` for 1,000 orders of one copy each, sent by 40 concurrent clients, on a
 * book with 600 copies: every ReserveStock conflicts on the book's version with the others.
 * A conflict is the price of a hot aggregate, not a failure of the order: each order must be
 * decided, 600 confirmed and 400 rejected, nothing dead-lettered, the stock exactly 0.
 */
const ORDERS = 1000;
const STOCK = 600;
const CLIENTS = 40;
const WORKERS = 3;
const MINUTE = 60_000;

describe('scenario 12: hot aggregate', () => {
  let system: BookshelfSystem | undefined;

  afterAll(async () => {
    await system?.stop();
  });

  it(
    `decides each of ${ORDERS} orders for one book of ${STOCK} copies from ${CLIENTS} clients on ${WORKERS} workers`,
    async () => {
      system = await startFaultSystem();
      const { url } = await system.startApi();
      for (let n = 0; n < WORKERS; n++) await system.startWorker();
      const added = await postJson(`${url}/books`, {
        title: 'The popular one',
        author: 'A. Author',
        price: 10,
        stock: STOCK,
      });
      expect(added.status).toBe(202);
      const bookId = added.body.id as string;
      await eventually(async () => (await fetch(`${url}/books/${bookId}`)).ok, {
        ...PROCESS_POLL,
        timeoutMs: 30_000,
        what: 'the book in the catalog',
      });

      const ledger = new Ledger();
      const started = Date.now();
      await placeOrders(url, [bookId], ledger, {
        rate: 10_000,
        count: ORDERS,
        concurrency: CLIENTS,
        // 40 clients at once on a shared 2-core machine: a slow answer is not a refusal here.
        timeoutMs: MINUTE,
      });
      const sentSeconds = (Date.now() - started) / 1000;
      const orderIds = [...ledger.accepted.keys()];
      const decidedIn = await waitForDecisions(system, orderIds, { stallMs: MINUTE });
      const seconds = (Date.now() - started) / 1000;
      const outcome = await decisionsOf(system, orderIds, bookId);
      const redis = system.redisClient();
      const deadLetters = await deadLetterCount(redis);
      const decided = outcome.confirmed + outcome.rejected;

      recordScenario({
        scenario: 12,
        name: `Hot aggregate: ${ORDERS} orders for one book of ${STOCK} copies`,
        sent: ledger.sent,
        completed: decided,
        lost: ledger.accepted.size - decided,
        duplicated: outcome.duplicated,
        note:
          `${WORKERS} workers, ${CLIENTS} concurrent clients, ${ledger.accepted.size} accepted (202)` +
          (ledger.refusedCount
            ? ` (refused: ${JSON.stringify(Object.fromEntries(ledger.refused))})`
            : '') +
          '; ' +
          `${outcome.confirmed} CONFIRMED, ${outcome.rejected} REJECTED, ${outcome.placed} still PLACED; ` +
          (decidedIn ? 'every order decided' : 'gave up waiting: no decision for a minute') +
          ` after ${seconds.toFixed(1)} s ` +
          `(${(decided / seconds).toFixed(1)} orders/s sustained end to end, sending included; ` +
          `the API took ${sentSeconds.toFixed(1)} s to accept them); ` +
          `${deadLetters} dead letters; stock left ${outcome.stock} (catalog ${outcome.catalogStock}); ` +
          `${outcome.reservations} StockReserved events for ${outcome.confirmed} confirmed orders. ` +
          `Conflicts on the book's version were retried in place with backoff, without spending delivery attempts.`,
      });

      expect(ledger.refusedCount).toBe(0);
      expect(decidedIn).toBe(true);
      expect(outcome).toMatchObject({
        confirmed: STOCK,
        rejected: ORDERS - STOCK,
        placed: 0,
        stock: 0,
        catalogStock: 0,
        reservations: STOCK,
        duplicated: 0,
        summariesDisagreeing: 0,
      });
      expect(deadLetters).toBe(0);
    },
    8 * MINUTE,
  );
});
