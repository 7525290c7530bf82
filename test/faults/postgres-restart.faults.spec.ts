import type { BookshelfSystem } from '../support/bookshelf-system.js';
import { PROCESS_POLL } from '../support/processes.js';
import { SpawnedPostgres } from '../support/spawned-postgres.js';
import { startFaultSystem } from './support/fault-system.js';
import {
  confirmedOrders,
  counts,
  placeOrders,
  secondsToProgress,
  settle,
  startOrderScenario,
} from './support/order-load.js';
import { recordScenario } from './support/report.js';
import { deadLetters } from './support/stream-inspection.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 6, scenario 7: PostgreSQL crashes (`pg_ctl stop -m immediate`: no checkpoint, crash
 * recovery at the next start) and comes back under load. The cluster is the test's own, made
 * with initdb in a temporary directory: the shared server is never touched.
 */
const MINUTE = 60_000;
const RATE = 60;

describe('faults: PostgreSQL restart', () => {
  let cluster: SpawnedPostgres | undefined;
  let system: BookshelfSystem | undefined;

  afterEach(async () => {
    await system?.stop();
    cluster?.destroy();
    system = undefined;
    cluster = undefined;
  });

  it(
    '7. PostgreSQL restarted in immediate mode under load: aggregates and outbox rows stay paired, the relay resumes',
    async () => {
      cluster = await SpawnedPostgres.start();
      const database = await cluster.createDatabase();
      system = await startFaultSystem({}, { database });
      const { url, api, worker, books, ledger } = await startOrderScenario(system);

      const load = placeOrders(url, books, ledger, { rate: RATE, count: 15 * RATE });
      await eventually(async () => (await confirmedOrders(system!)) >= 200, {
        ...PROCESS_POLL,
        timeoutMs: MINUTE,
        what: '200 orders confirmed',
      });
      const crashedAt = Date.now();
      cluster.stop('immediate');
      await cluster.start();
      const back = Date.now();
      const downSeconds = ((back - crashedAt) / 1000).toFixed(1);
      const recoverySeconds = await secondsToProgress(system, back, 100, 30_000);
      await load;
      const outcome = await settle(system, ledger, books, 2 * MINUTE);

      recordScenario({
        scenario: 7,
        name: 'PostgreSQL restarted (immediate mode) under load',
        ...counts(outcome),
        recoverySeconds,
        note:
          `A private cluster crashed and restarted (down ${downSeconds} s). ` +
          `${outcome.accepted} orders accepted, ${ledger.refusedCount} refused while it was down ` +
          `(${[...ledger.refused].map(([status, n]) => `${n}× ${status}`).join(', ') || 'none'}), ` +
          `${outcome.unacknowledged} committed whose answer was lost (made, not lost). ` +
          `Checked: every order has its OrderPlaced row and every OrderPlaced row its order, ` +
          `every PlaceOrder row its order; no dead letters. Recovery: restart to 100 more orders confirmed.`,
      });
      expect(outcome.problems).toEqual([]);
      expect(outcome).toMatchObject({ lost: 0, duplicated: 0, completed: outcome.accepted });
      expect(outcome.accepted + ledger.refusedCount).toBe(outcome.sent);
      expect(outcome.unacknowledged).toBeLessThanOrEqual(ledger.refusedCount);
      // Refused while PostgreSQL was down means 503 (retry), never a 500.
      expect(ledger.refused.get('500') ?? 0).toBe(0);
      expect(await deadLetters(system.redisClient())).toBe(0);
      expect(api.child.exitCode).toBeNull();
      expect(worker.child.exitCode).toBeNull();
    },
    4 * MINUTE,
  );
});
