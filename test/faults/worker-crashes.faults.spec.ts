import {
  CRASH_BEFORE_PUBLISH_PRELOAD,
  TEST_WORKER_MAIN,
  PROCESS_POLL,
} from '../support/processes.js';
import { systemPerTest } from './support/fault-system.js';
import {
  confirmedOrders,
  counts,
  expectClean,
  Ledger,
  placeOrders,
  settle,
  startOrderScenario,
  unpublished,
} from './support/order-load.js';
import { recordScenario } from './support/report.js';
import {
  deadLetters,
  errorLines,
  pendingOfProcess,
  republishedEntries,
} from './support/stream-inspection.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 6, scenarios 2–4: workers killed, paused past the reclaim threshold, and an outbox
 * processor killed between publishing and marking; issue 16, scenario 14: a worker killed
 * between committing its handlers' events and publishing them — API and workers as real processes,
 * `min_idle_ms` 3 s and an outbox lease of 5 s (FAULT_ENV).
 */
const MINUTE = 60_000;
const RATE = 80;
const ORDERS = 900;

describe('faults: worker crashes', () => {
  const startSystem = systemPerTest();

  it(
    '2. worker SIGKILLed mid-batch three times: its messages are taken over, each effect once',
    async () => {
      const system = await startSystem();
      const { url, workers, books, ledger } = await startOrderScenario(system, [{}, {}]);
      const redis = system.redisClient();

      const load = placeOrders(url, books, ledger, { rate: RATE, count: ORDERS });
      const inFlightAtKill: number[] = [];
      let lastKill = 0;
      for (let kill = 0; kill < 3; kill++) {
        const target = (kill + 1) * 200;
        await eventually(async () => (await confirmedOrders(system)) >= target, {
          ...PROCESS_POLL,
          timeoutMs: MINUTE,
          what: `${target} orders confirmed`,
        });
        const victim = workers[kill % 2];
        expect(await victim.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
        lastKill = Date.now();
        inFlightAtKill.push(await pendingOfProcess(redis, victim.child.pid!));
        workers[kill % 2] = await system.startWorker();
      }
      await load;
      const outcome = await settle(system, ledger, books, 2 * MINUTE);
      const recoverySeconds = Number(((Date.now() - lastKill) / 1000).toFixed(1));

      recordScenario({
        scenario: 2,
        name: 'Worker SIGKILL mid-batch, three times',
        ...counts(outcome),
        recoverySeconds,
        note:
          `Two workers at ${RATE} orders/s; three SIGKILLs, each worker restarted at once. ` +
          `Entries pending for the killed process at each kill: ${inFlightAtKill.join(', ')} ` +
          `(taken over after min_idle_ms 3 s). Recovery: last kill to every order confirmed.`,
      });
      expectClean(outcome);
      expect(Math.max(...inFlightAtKill)).toBeGreaterThan(0); // the kills did hit work in hand
      expect(await deadLetters(redis)).toBe(0);
    },
    4 * MINUTE,
  );

  it(
    '3. worker paused past the reclaim threshold, then resumed: its late acks change nothing',
    async () => {
      const system = await startSystem();
      const { url, workers, books, ledger } = await startOrderScenario(system, [{}, {}]);
      const [paused, other] = workers;
      const redis = system.redisClient();

      const load = placeOrders(url, books, ledger, { rate: RATE, count: ORDERS });
      await eventually(async () => (await confirmedOrders(system)) >= 200, {
        ...PROCESS_POLL,
        timeoutMs: MINUTE,
        what: '200 orders confirmed',
      });
      paused.child.kill('SIGSTOP');
      const held = await eventually(
        async () => {
          const pending = await pendingOfProcess(redis, paused.child.pid!);
          return pending > 0 && pending;
        },
        { ...PROCESS_POLL, timeoutMs: 10_000, what: 'the paused worker to hold messages' },
      );
      // The other worker takes the paused one's messages over once they idled min_idle_ms.
      await eventually(async () => (await pendingOfProcess(redis, paused.child.pid!)) === 0, {
        timeoutMs: 30_000,
        intervalMs: 200,
        what: "the paused worker's messages taken over",
      });
      const logBefore = paused.stdout.length + paused.stderr.length;
      paused.child.kill('SIGCONT');
      const resumedAt = Date.now();
      await load;
      const outcome = await settle(system, ledger, books, 2 * MINUTE);
      const recoverySeconds = Number(((Date.now() - resumedAt) / 1000).toFixed(1));
      const lateLog = (paused.stdout + paused.stderr).slice(logBefore);
      // After a freeze, requests for a pooled connection queued before it time out at once:
      // the relay logs that and tries again. The subscriptions, whose acks come late, must not.
      const relayErrors = errorLines(lateLog).filter((line) => line.includes('"OutboxProcessor"'));
      const otherErrors = errorLines(lateLog).filter((line) => !relayErrors.includes(line));

      recordScenario({
        scenario: 3,
        name: 'Worker paused (SIGSTOP) past the reclaim threshold, then resumed',
        ...counts(outcome),
        recoverySeconds,
        note:
          `The paused worker held ${held} entries; the other took them over (min_idle_ms 3 s) ` +
          `while it slept. After SIGCONT its late acks changed nothing: no error from its ` +
          `subscriptions, no dead letters, both workers up (its outbox relay logged ` +
          `${relayErrors.length} transient connection-timeout errors and went on). ` +
          `Recovery: resume to every order confirmed.`,
      });
      expectClean(outcome);
      expect(otherErrors).toEqual([]);
      expect(await deadLetters(redis)).toBe(0);
      expect(paused.child.exitCode).toBeNull();
      expect(other.child.exitCode).toBeNull();
    },
    4 * MINUTE,
  );

  it(
    '4. outbox processor SIGKILLed between publish and mark: its rows go out again, effects once',
    async () => {
      const system = await startSystem();
      const { url, worker: first, books } = await startOrderScenario(system);
      const redis = system.redisClient();
      // Books are made; from here on the only relay is one that dies after the batch that brings
      // what it published to 30 rows.
      await first.stop();
      const crashing = await system.startWorker(
        { OUTBOX_CRASH_AFTER_PUBLISHES: '3' },
        TEST_WORKER_MAIN,
      );
      const ledger = new Ledger();

      const load = placeOrders(url, books, ledger, { rate: RATE, count: 600 });
      const exit = await crashing.exitedWithin(60_000);
      expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
      expect(crashing.stdout).toMatch(/crashing after publishing \d+ rows/);
      const crashedAt = Date.now();
      await system.startWorker();
      await load;
      const outcome = await settle(system, ledger, books, 2 * MINUTE);
      const recoverySeconds = Number(((Date.now() - crashedAt) / 1000).toFixed(1));
      const republished = await republishedEntries(redis);

      recordScenario({
        scenario: 4,
        name: 'Outbox processor SIGKILL between publish and mark',
        ...counts(outcome),
        recoverySeconds,
        note:
          `The worker died right after the batch that brought it to 30 published rows reached Redis ` +
          `(rows its handlers had just committed, published after commit, or rows its relay had ` +
          `claimed), before marking it; the next ` +
          `worker's relay published those rows again once the 5 s lease expired ` +
          `(${republished} entries on the streams twice). Consumers deduplicated them ` +
          `(processed_messages): at-least-once delivery, exactly-once effects.`,
      });
      expectClean(outcome);
      expect(republished).toBeGreaterThan(0);
      expect(await deadLetters(redis)).toBe(0);
    },
    4 * MINUTE,
  );
  it(
    '14. worker SIGKILLed between committing and publishing its events: another relay publishes them after the lease, effects once',
    async () => {
      const system = await startSystem();
      const {
        url,
        worker: crashing,
        books,
        ledger,
      } = await startOrderScenario(system, [
        {
          NODE_OPTIONS: `--import ${CRASH_BEFORE_PUBLISH_PRELOAD}`,
          CRASH_BEFORE_PUBLISH_AFTER: '100',
        },
      ]);

      const load = placeOrders(url, books, ledger, { rate: RATE, count: 600 });
      const exit = await crashing.exitedWithin(60_000);
      expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
      expect(crashing.stdout).toMatch(/crashing before publishing \d+ entries of bookshelf::order/);
      const crashedAt = Date.now();
      // Committed by its handlers, leased to it and never published: the relay must take them over.
      const [{ stranded }] = await system.db.query<{ stranded: number }>(
        `SELECT count(*)::int AS stranded FROM outbox
         WHERE stream_name LIKE 'bookshelf::order-%' AND status = 'processing' AND locked_by LIKE $1`,
        [`%:${crashing.child.pid}:%`],
      );
      await system.startWorker();
      await load;
      const outcome = await settle(system, ledger, books, 2 * MINUTE);
      const recoverySeconds = Number(((Date.now() - crashedAt) / 1000).toFixed(1));

      recordScenario({
        scenario: 14,
        name: 'Worker SIGKILL between committing and publishing its events',
        ...counts(outcome),
        recoverySeconds,
        note:
          `A worker publishes what its handlers commit right after the commit; it died instead ` +
          `of publishing ${stranded} committed order event row(s), leased to it. The next ` +
          `worker's relay published them once the 5 s lease expired. ` +
          `Recovery: crash to every order confirmed.`,
      });
      expect(stranded).toBeGreaterThan(0);
      expectClean(outcome);
      // Every row published in the end: the stranded ones by the relay, the rest after commit.
      await eventually(async () => (await unpublished(system)) === 0, {
        ...PROCESS_POLL,
        what: 'every outbox row published',
      });
      expect(await deadLetters(system.redisClient())).toBe(0);
    },
    4 * MINUTE,
  );
});
