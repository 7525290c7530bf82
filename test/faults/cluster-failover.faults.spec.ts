import { keyInSlotOf } from 'nestjs-protean';
import { eventually } from 'nestjs-protean/testing';
import { PROCESS_POLL } from '../support/processes.js';
import { SpawnedRedisCluster } from '../support/redis-cluster.js';
import { systemPerTest } from './support/fault-system.js';
import {
  attemptsCounted,
  confirmedOrders,
  counts,
  expectClean,
  placeOrders,
  secondsToProgress,
  settle,
  startOrderScenario,
} from './support/order-load.js';
import { recordScenario } from './support/report.js';

/**
 * Issue 3, acceptance 2: the bookshelf on a Redis Cluster of 3 masters + 3 replicas; the
 * master serving `bookshelf::order` is killed under load and its replica takes over by itself.
 * The outbox counts a row published only once a replica holds it (`min_replicas = 1`), so the
 * failover loses nothing the outbox believes published.
 */
const MINUTE = 60_000;
const RATE = 60;
/** Ports 17010-17015: the conformance suite's cluster uses 17000-17005. */
const BASE_PORT = 17010;
/** How long a silent master takes to be failed over; short, but above a loaded machine's hiccups. */
const NODE_TIMEOUT_MS = 1500;

describe('faults: Redis Cluster failover', () => {
  const startSystem = systemPerTest();
  let cluster: SpawnedRedisCluster | undefined;

  afterEach(async () => {
    await cluster?.destroy();
    cluster = undefined;
  });

  it(
    '15. the master of bookshelf::order killed under load: its replica promoted, nothing lost or applied twice',
    async () => {
      cluster = await SpawnedRedisCluster.start({
        basePort: BASE_PORT,
        nodeTimeoutMs: NODE_TIMEOUT_MS,
      });
      const system = await startSystem(
        {
          PROTEAN_BROKERS__DEFAULT__MIN_REPLICAS: '1',
          PROTEAN_BROKERS__DEFAULT__WAIT_TIMEOUT_MS: '1000',
        },
        { brokerUri: cluster.uri },
      );
      const { url, api, worker, books, ledger } = await startOrderScenario(system);
      const orderKey = keyInSlotOf('bookshelf::order', '', true);
      const victim = await cluster.masterOf(orderKey);
      const bookOnVictim =
        (await cluster.masterOf(keyInSlotOf('bookshelf::book', '', true))) === victim;

      const load = placeOrders(url, books, ledger, { rate: RATE, count: 25 * RATE });
      await eventually(async () => (await confirmedOrders(system)) >= 200, {
        ...PROCESS_POLL,
        timeoutMs: MINUTE,
        what: '200 orders confirmed',
      });
      const killedAt = Date.now();
      await cluster.kill(victim);
      const promoted = await cluster.awaitServed(orderKey, 30_000);
      const failoverSeconds = (Date.now() - killedAt) / 1000;
      // The promoted master has no replica of its own, so min_replicas = 1 holds every publish
      // to its slots back until the crashed node is back (as an orchestrator would restart it).
      await cluster.restart(victim);
      const rejoinedSeconds = (Date.now() - killedAt) / 1000;
      const recoverySeconds = await secondsToProgress(system, killedAt, 100, MINUTE);
      await load;
      const outcome = await settle(system, ledger, books, 2 * MINUTE);
      const counted = await attemptsCounted(system);

      recordScenario({
        scenario: 15,
        name: 'Redis Cluster: the master of bookshelf::order SIGKILLed under load',
        ...counts(outcome),
        recoverySeconds,
        note:
          `3 masters + 3 replicas (cluster-node-timeout ${NODE_TIMEOUT_MS} ms), min_replicas = 1. ` +
          `Master ${victim} (bookshelf::order${bookOnVictim ? ' and bookshelf::book' : ''}) ` +
          `killed after 200 orders; its replica ${promoted} served the slot ` +
          `${failoverSeconds.toFixed(1)} s later (automatic failover); the killed node, ` +
          `restarted then, was its replica in sync at ${rejoinedSeconds.toFixed(1)} s. ` +
          `${ledger.refusedCount} orders refused, ${counted} outbox rows counted as failed ` +
          `attempts. Recovery: kill to 100 more orders confirmed.`,
      });
      expectClean(outcome);
      expect(promoted).not.toBe(victim);
      expect(recoverySeconds).toBeLessThan(30);
      expect(api.child.exitCode).toBeNull();
      expect(worker.child.exitCode).toBeNull();
    },
    5 * MINUTE,
  );
});
