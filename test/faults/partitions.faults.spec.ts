import type { Redis } from 'ioredis';
import { PROCESS_POLL } from '../support/processes.js';
import type { BookshelfSystem } from '../support/bookshelf-system.js';
import { systemPerTest } from './support/fault-system.js';
import {
  addBooks,
  confirmedOrders,
  counts,
  expectClean,
  Ledger,
  placeOrders,
  settle,
} from './support/order-load.js';
import { recordScenario } from './support/report.js';
import { deadLetters } from './support/stream-inspection.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 17, acceptance 1: partitioned streams. Four workers share 8 partitions of every stream
 * category of the bookshelf; 5,000 orders over 100 books; two workers SIGKILLed and one added
 * during the run. Every group must handle every aggregate's events in version order, across
 * the workers and the take-overs: nothing lost, no effect twice.
 */
const MINUTE = 60_000;
const PARTITIONS = 8;
const ORDERS = 5000;
const BOOKS = 100;
const RATE = 50;
const CATEGORIES = ['bookshelf::book', 'bookshelf::order', 'bookshelf::order:command'];

/** Every category in {@link PARTITIONS} partitions; leases that a crash frees within 3 s. */
const PARTITIONED: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    CATEGORIES.map((category) => [`PROTEAN_STREAMS__${category}__PARTITIONS`, String(PARTITIONS)]),
  ),
  PROTEAN_SERVER__PARTITION_LEASE_SECONDS: '3',
};

/**
 * Events handled out of version order, per group: an aggregate's event whose handling began
 * (its transaction's start, `processed_at`) after a later event of the same aggregate was
 * already handled. An aggregate's events are written in version order, so the outbox's ids
 * order them; `processed_messages` is the handled sequence of every group.
 */
async function outOfOrder(system: BookshelfSystem) {
  return system.db.query<{ handler: string; stream: string; message_id: string }>(
    `WITH handled AS (
       SELECT p.handler, o.stream_name AS stream, o.id, p.message_id, p.processed_at,
              max(p.processed_at) OVER (
                PARTITION BY p.handler, o.stream_name ORDER BY o.id
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest_before
       FROM processed_messages p JOIN outbox o ON o.message_id::text = p.message_id
       WHERE o.kind = 'EVENT')
     SELECT handler, stream, message_id FROM handled
     WHERE latest_before IS NOT NULL AND processed_at < latest_before`,
  );
}

/** Groups and aggregates whose handled sequence was checked, and how many events it covered. */
async function handledSequence(system: BookshelfSystem) {
  const [row] = await system.db.query<{ groups: string; aggregates: string; events: string }>(
    `SELECT count(DISTINCT p.handler) AS groups, count(DISTINCT o.stream_name) AS aggregates,
            count(*) AS events
     FROM processed_messages p JOIN outbox o ON o.message_id::text = p.message_id
     WHERE o.kind = 'EVENT'`,
  );
  return {
    groups: Number(row.groups),
    aggregates: Number(row.aggregates),
    events: Number(row.events),
  };
}

/** The partition leases in Redis, and the pids of the consumers that hold them. */
async function leaseOwners(redis: Redis) {
  const pids = new Set<string>();
  let leases = 0;
  const keys = await redis.keys('protean:leases:*');
  for (const key of keys) {
    for (const [field, value] of Object.entries(await redis.hgetall(key))) {
      if (!field.startsWith('lease:')) continue;
      leases++;
      // The consumer is `<host>-<pid>-<random>`.
      pids.add(value.split('|')[2].split('-').at(-2)!);
    }
  }
  return { pids, leases, groups: keys.length };
}

describe('faults: partitioned streams', () => {
  const startSystem = systemPerTest();

  it(
    '16. four workers on 8 partitions, two SIGKILLed and one added: every aggregate in order',
    async () => {
      const system = await startSystem(PARTITIONED);
      const { url } = await system.startApi();
      const workers = [];
      for (let i = 0; i < 4; i++) workers.push(await system.startWorker());
      const books = await addBooks(system, url, BOOKS);
      const redis = system.redisClient();
      const ledger = new Ledger();

      const load = placeOrders(url, books, ledger, { rate: RATE, count: ORDERS });
      const takeOvers: number[] = [];
      for (const [target, victim] of [
        [1000, 0],
        [2500, 1],
      ] as const) {
        await eventually(async () => (await confirmedOrders(system)) >= target, {
          ...PROCESS_POLL,
          timeoutMs: 3 * MINUTE,
          what: `${target} orders confirmed`,
        });
        const pid = String(workers[victim].child.pid);
        expect(await workers[victim].stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
        const killedAt = Date.now();
        if (victim === 0) workers.push(await system.startWorker()); // one added after the first kill
        // Its partitions are taken over once its leases expire: none is left in its name.
        await eventually(async () => !(await leaseOwners(redis)).pids.has(pid), {
          timeoutMs: MINUTE,
          intervalMs: 100,
          what: `the partitions of the killed worker ${pid} taken over`,
        });
        takeOvers.push((Date.now() - killedAt) / 1000);
      }
      await load;
      const outcome = await settle(system, ledger, books, 3 * MINUTE);
      const recoverySeconds = Number(Math.max(...takeOvers).toFixed(1));

      const disordered = await outOfOrder(system);
      const sequence = await handledSequence(system);
      // Who holds the partitions now: only live workers.
      const owners = await leaseOwners(redis);
      const live = workers.filter(
        (worker) => worker.child.exitCode === null && !worker.child.killed,
      );
      const livePids = new Set(live.map((worker) => String(worker.child.pid)));

      recordScenario({
        scenario: 16,
        name: 'Partitioned streams: 4 workers on 8 partitions, 2 SIGKILLed, 1 added',
        ...counts(outcome),
        recoverySeconds,
        note:
          `${ORDERS} orders at ${RATE}/s over ${BOOKS} books; ${PARTITIONS} partitions of ` +
          `${CATEGORIES.join(', ')}; partition leases of 3 s. Workers 1 and 2 SIGKILLed at 1,000 ` +
          `and 2,500 orders confirmed, a fifth started after the first kill. Handled sequence ` +
          `checked: ${sequence.events} events of ${sequence.aggregates} aggregates in ` +
          `${sequence.groups} groups, ${disordered.length} handled out of version order. ` +
          `Recovery: a kill to its partitions taken over, the longer of the two ` +
          `(${takeOvers.map((seconds) => seconds.toFixed(1)).join(' s, ')} s).`,
      });
      expectClean(outcome);
      expect(disordered).toEqual([]);
      expect(sequence.groups).toBeGreaterThanOrEqual(3);
      expect(await deadLetters(redis)).toBe(0);
      expect(live).toHaveLength(3);
      expect([...owners.pids].every((pid) => livePids.has(pid))).toBe(true);
      // Every partition of every (category, group) is read by someone: 4 groups on the 3 categories.
      expect(owners.groups).toBe(4);
      expect(owners.leases).toBe(owners.groups * PARTITIONS);
    },
    12 * MINUTE,
  );
});
