import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { BookshelfSystem, postJson } from '../support/bookshelf-system.js';
import { DATABASE_URL } from '../support/postgres.js';
import {
  CLI_MAIN,
  runToExit,
  NodeProcess,
  TEST_WORKER_MAIN,
  WORKER_MAIN,
  PROCESS_POLL,
} from '../support/processes.js';
import { deadLetterEntries } from './support/dead-letter-entries.js';
import { SpawnedRedis } from '../support/spawned-redis.js';
import { PasswordRefusingPostgres } from './support/password-refusing-postgres.js';
import { recordScenario } from './support/report.js';
import { eventually } from 'nestjs-protean/testing';

/**
 * Issue 6, scenario 11: with a Redis password and a PostgreSQL password set, the API, the
 * worker and the CLI at the most verbose log level (LOG_LEVEL=trace) go through a retried
 * handler, a dead letter, a Redis outage and wrong passwords for both — and no line they write
 * holds a password, raw or URL-encoded.
 */
const MINUTE = 60_000;

/** A password with characters a URI must encode, so both forms can be looked for. */
const password = (label: string) => `${label}/${randomBytes(6).toString('hex')}+@:%`;

async function onShared(statement: string): Promise<void> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describe('scenario 11: secrets', () => {
  let system: BookshelfSystem | undefined;
  let redis: SpawnedRedis | undefined;
  let refusing: PasswordRefusingPostgres | undefined;
  let role: string | undefined;
  let workdir: string;

  beforeAll(() => {
    workdir = mkdtempSync(join(tmpdir(), 'faults-secrets-'));
  });

  afterAll(async () => {
    await system?.stop();
    await redis?.stop();
    await refusing?.close();
    if (role) await onShared(`DROP ROLE IF EXISTS ${role}`);
    rmSync(workdir, { recursive: true, force: true });
  });

  it(
    'writes no password, raw or URL-encoded, in any log line at trace level — through retries, a dead letter, a Redis outage and wrong passwords',
    async () => {
      const redisPassword = password('redis');
      const pgPassword = password('pg');
      const wrongPassword = password('wrong');
      const secrets = [redisPassword, pgPassword, wrongPassword].flatMap((secret) => [
        secret,
        encodeURIComponent(secret),
      ]);

      system = await BookshelfSystem.start();
      redis = await SpawnedRedis.start({ password: redisPassword });
      role = `faults_${randomBytes(5).toString('hex')}`;
      await onShared(`CREATE ROLE ${role} LOGIN PASSWORD '${pgPassword}'`);
      await system.db.query(
        `GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
      );
      const pgUri = (secret: string, port = 5432) =>
        `postgresql://${role}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${system!.db.name}`;

      const fault = {
        FAULT_FILE: join(workdir, 'fault'),
        FAULT_LOG: join(workdir, 'log'),
        FAULT_TITLE: 'Poison',
      };
      writeFileSync(fault.FAULT_FILE, 'on');
      const env = {
        ...fault,
        LOG_LEVEL: 'trace',
        LOG_FORMAT: 'json',
        PROTEAN_DATABASES__DEFAULT__DATABASE_URI: pgUri(pgPassword),
        PROTEAN_BROKERS__DEFAULT__URI: redis.uri,
        PROTEAN_SERVER__MAX_RETRIES: '2',
        PROTEAN_SERVER__RETRY_DELAY_SECONDS: '0.1',
      };
      const { url, process: api } = await system.startApi(env);
      const worker = await system.startWorker(env, TEST_WORKER_MAIN);
      const outputs: Array<{ name: string; text: string }> = [];
      const cli = async (name: string, args: string[], overrides: NodeJS.ProcessEnv = {}) => {
        const result = await runToExit(CLI_MAIN, args, { ...system!.env, ...env, ...overrides });
        outputs.push({ name, text: result.stdout + result.stderr });
        return result;
      };
      const catalogSize = async () =>
        ((await (await fetch(`${url}/books?limit=100`)).json()) as unknown[]).length;

      // A handler retried, then dead-lettered.
      for (const title of ['Good A', 'Poison', 'Good B']) {
        expect((await postJson(`${url}/books`, { title, author: 'A', price: 1 })).status).toBe(202);
      }
      const probe = redis.client();
      await eventually(
        async () => (await deadLetterEntries(probe, 'bookshelf::book')).length === 1,
        { ...PROCESS_POLL, timeoutMs: 30_000, what: 'the poisoned book dead-lettered' },
      );
      probe.disconnect();

      // The CLI with the right passwords (Redis restarts empty below: list the dead letter now).
      const listed = await cli('dlq list --json', ['dlq', 'list', '--json']);
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toHaveLength(1);
      for (const args of [
        ['dlq', 'list'],
        ['outbox', 'status'],
        ['outbox', 'status', '--json'],
      ]) {
        expect((await cli(args.join(' '), args)).code).toBe(0);
      }

      // Redis goes away: connection errors in both processes; a book waits in the outbox.
      await redis.stop();
      expect(
        (await postJson(`${url}/books`, { title: 'During', author: 'A', price: 1 })).status,
      ).toBe(202);
      const brokerError = /BrokerConnectionError|connection error|could not connect|ECONNREFUSED/;
      await eventually(() => brokerError.test(worker.stdout + worker.stderr), {
        ...PROCESS_POLL,
        timeoutMs: 20_000,
        what: 'the worker to log the broker connection error',
      });
      await redis.start();
      const back = Date.now();
      await eventually(async () => (await catalogSize()) === 4, {
        ...PROCESS_POLL,
        timeoutMs: 30_000,
        what: 'the 4th book after Redis returned',
      });
      const recoverySeconds = (Date.now() - back) / 1000;
      const books = await catalogSize();
      expect((await cli('outbox status (after)', ['outbox', 'status', '--json'])).code).toBe(0);

      // Wrong passwords: a named error, no password (a refused broker: exit 69).
      const wrongRedis = await cli('dlq list, wrong Redis password', ['dlq', 'list'], {
        PROTEAN_BROKERS__DEFAULT__URI: redis.uriWith(wrongPassword),
      });
      expect(wrongRedis.code).toBe(69);
      expect(wrongRedis.stderr).toMatch(
        /Broker "default" \(redis\) could not connect to redis:\/\/:\*\*\*@127\.0\.0\.1:\d+.*WRONGPASS/,
      );
      refusing = await PasswordRefusingPostgres.start();
      const wrongPostgres = await cli(
        'outbox status, wrong PostgreSQL password',
        ['outbox', 'status'],
        {
          PROTEAN_DATABASES__DEFAULT__DATABASE_URI: pgUri(wrongPassword, refusing.port),
        },
      );
      expect(wrongPostgres.code).toBe(1);
      expect(wrongPostgres.stderr).toContain(
        `PostgreSQL at 127.0.0.1:${refusing.port}/${system.db.name} is unavailable: password authentication failed`,
      );
      // The password did travel to the server: there was something to leak.
      expect(refusing.passwords).toContain(wrongPassword);
      // A worker given both wrong passwords: errors, an exit, and still no password.
      const misconfigured = new NodeProcess(WORKER_MAIN, [], {
        ...system.env,
        ...env,
        PROTEAN_SERVER__HEALTH__PORT: '0',
        PROTEAN_DATABASES__DEFAULT__DATABASE_URI: pgUri(wrongPassword, refusing.port),
        PROTEAN_BROKERS__DEFAULT__URI: redis.uriWith(wrongPassword),
      });
      const ended = await misconfigured.exitedWithin(20_000);
      await misconfigured.stop('SIGKILL');
      // Its start-up check stops at the first refusal: the database's (exit 69, one line).
      expect(ended?.code).toBe(69);
      outputs.push({
        name: 'misconfigured worker',
        text: misconfigured.stdout + misconfigured.stderr,
      });
      expect(misconfigured.stderr).toContain(
        `Cannot start: PostgreSQL at 127.0.0.1:${refusing.port}/${system.db.name} is unavailable: password authentication failed`,
      );

      await Promise.all([api.stop('SIGTERM'), worker.stop('SIGTERM')]);
      const processes: Array<[string, NodeProcess]> = [
        ['API', api],
        ['worker', worker],
      ];
      for (const [name, process] of processes)
        outputs.push({ name, text: process.stdout + process.stderr });
      const lines = outputs.flatMap(({ name, text }) =>
        text
          .split('\n')
          .filter(Boolean)
          .map((line) => ({ name, line })),
      );
      const leaks = lines.filter(({ line }) => secrets.some((secret) => line.includes(secret)));
      const workerText = worker.stdout + worker.stderr;

      recordScenario({
        scenario: 11,
        name: 'Secrets: Redis and PostgreSQL passwords in no log line',
        sent: 4,
        completed: books,
        lost: 4 - books,
        duplicated: 0,
        recoverySeconds: Math.round(recoverySeconds * 10) / 10,
        note:
          `${lines.length} lines from the API, the worker and ${outputs.length - 3} CLI runs, a worker given wrong passwords, at LOG_LEVEL=trace ` +
          `(a handler retried and dead-lettered, Redis killed and restarted, wrong Redis and PostgreSQL ` +
          `passwords): ${leaks.length} with a password, raw or URL-encoded. The shared PostgreSQL trusts ` +
          `local connections, so the wrong-password refusal comes from a stand-in server (SQLSTATE 28P01); ` +
          `recovery = Redis back to the waiting book in the catalog`,
      });

      // The workload did what it claims, at the level it claims.
      expect(lines.length).toBeGreaterThan(100);
      expect(
        lines.some(({ line }) => line.includes('"level":10') || line.includes('"level":20')),
      ).toBe(true);
      expect(workerText).toMatch(/failed \(attempt 1 of 3\), retrying/);
      expect(workerText).toMatch(/dead-lettered to bookshelf::book:dlq after 3 attempt/);
      expect(workerText).toMatch(brokerError);
      // URIs were written — redacted.
      expect(workerText).toMatch(/connection ready/);
      expect(lines.some(({ line }) => line.includes('redis://:***@127.0.0.1:'))).toBe(true);
      expect(leaks).toEqual([]);
    },
    2 * MINUTE,
  );
});
