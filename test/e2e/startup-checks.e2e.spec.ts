import { createTestDatabase, DATABASE_URL, type TestDatabase } from '../support/postgres.js';
import {
  API_MAIN,
  CLI_MAIN,
  freePort,
  NodeProcess,
  runToExit,
  WORKER_MAIN,
} from '../support/processes.js';
import { SpawnedRedis } from '../support/spawned-redis.js';

/**
 * Issue 12 §4: the worker and the API refuse to start on a database or broker they cannot
 * use — a configuration error (78) or a service unavailable (69) — in one line, no stack, no
 * password, instead of running on and retrying (or running in another Redis database).
 */
describe.each([
  ['worker', WORKER_MAIN],
  ['API', API_MAIN],
])('%s start-up', (_name, main) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('startup_e2e');
  });

  afterAll(() => db.drop());

  async function start(env: NodeJS.ProcessEnv) {
    const child = new NodeProcess(main, [], {
      PORT: String(await freePort()),
      PROTEAN_SERVER__HEALTH__PORT: String(await freePort()),
      ...env,
    });
    const started = Date.now();
    const { code } = await child.exited;
    const lines = child.stderr.trim().split('\n');
    return {
      code,
      lines,
      output: child.stdout + child.stderr,
      seconds: (Date.now() - started) / 1000,
    };
  }

  const postgres = (uri: string, extra: NodeJS.ProcessEnv = {}) => ({
    PROTEAN_DATABASES__DEFAULT__PROVIDER: 'postgresql',
    PROTEAN_DATABASES__DEFAULT__DATABASE_URI: uri,
    ...extra,
  });

  it('exits 78 naming databases.default.database_uri when the database does not exist', async () => {
    const url = new URL(DATABASE_URL);
    url.pathname = '/startup_missing_database';
    const { code, lines, output } = await start(postgres(url.toString()));
    expect(code).toBe(78);
    expect(lines).toEqual([
      expect.stringMatching(
        /^Invalid configuration: databases\.default\.database_uri: PostgreSQL at 127\.0\.0\.1:5432\/startup_missing_database has no database .*`createdb startup_missing_database`\); the next start creates the schema .*$/,
      ),
    ]);
    expect(output).not.toMatch(/^\s+at /m);
  });

  it('exits 78 naming `db setup` when the schema is missing and auto_migrate = false', async () => {
    const { code, lines } = await start(
      postgres(db.uri, { PROTEAN_DATABASES__DEFAULT__AUTO_MIGRATE: 'false' }),
    );
    expect(code).toBe(78);
    expect(lines).toEqual([
      expect.stringMatching(
        /^Invalid configuration: databases\.default\.database_uri: .* lacks the Protean schema .* and databases\.default\.auto_migrate = false; run `npx protean db setup`$/,
      ),
    ]);
    expect(await db.query(`SELECT to_regclass('protean_migrations') AS t`)).toEqual([{ t: null }]);
  });

  it('waits startup_timeout_seconds for an unreachable PostgreSQL, then exits 69 in one line', async () => {
    const { code, lines, output, seconds } = await start(
      postgres('postgresql://app:hunter2@127.0.0.1:1/shop', {
        PROTEAN_DATABASES__DEFAULT__STARTUP_TIMEOUT_SECONDS: '2',
      }),
    );
    expect(code).toBe(69);
    expect(lines).toEqual([
      expect.stringMatching(
        /^PostgreSQL at 127\.0\.0\.1:1\/shop is unavailable: .*waiting up to 2 s for it$/,
      ),
      expect.stringMatching(
        /^Cannot start: PostgreSQL at 127\.0\.0\.1:1\/shop is unavailable: .*after waiting 2 s: databases\.default\.startup_timeout_seconds\)$/,
      ),
    ]);
    expect(seconds).toBeGreaterThanOrEqual(2);
    expect(output).not.toContain('hunter2');
  });

  it('exits 69 naming the broker and the index when Redis lacks the URI database', async () => {
    const redis = await SpawnedRedis.start({ password: 'startup-password' });
    try {
      const { code, lines, output } = await start({
        PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis',
        PROTEAN_BROKERS__DEFAULT__URI: `${redis.uri}/99`,
      });
      expect(code).toBe(69);
      expect(lines).toEqual([
        expect.stringMatching(
          /^Cannot start: Broker "default" \(redis\) at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/99 cannot use database 99: ERR DB index is out of range; set brokers\.default\.uri/,
        ),
      ]);
      expect(output).not.toContain('startup-password');
      const client = redis.client();
      expect(await client.dbsize()).toBe(0);
      client.disconnect();
    } finally {
      await redis.stop();
    }
  });
});

describe('CLI and a Redis lacking the URI database', () => {
  it('exits 69 in one line naming the broker and the index, touching no other database', async () => {
    const redis = await SpawnedRedis.start({ password: 'cli-password' });
    try {
      const { code, stderr, stdout } = await runToExit(CLI_MAIN, ['dlq', 'list'], {
        PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis',
        PROTEAN_BROKERS__DEFAULT__URI: `${redis.uri}/99`,
      });
      expect(code).toBe(69);
      // Its last line; the adapter's own log record (JSON, level error) may come before it.
      expect(stderr.trim().split('\n').at(-1)).toEqual(
        expect.stringMatching(
          /^error: Broker "default" \(redis\) at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/99 cannot use database 99: ERR DB index is out of range/,
        ),
      );
      expect(stderr + stdout).not.toContain('cli-password');
      const client = redis.client();
      expect(await client.dbsize()).toBe(0);
      client.disconnect();
    } finally {
      await redis.stop();
    }
  });
});

/**
 * Issue 14 §4: `npm run start:api` (no engine in the process) with the inline broker and async
 * processing would accept commands and never process them: it refuses to start instead.
 */
describe('API start-up on the inline broker', () => {
  it('exits 78 naming the keys and the fix when processing is async', async () => {
    const { code, stderr } = await runToExit(API_MAIN, [], {
      PORT: String(await freePort()),
      PROTEAN_COMMAND_PROCESSING: 'async',
      PROTEAN_EVENT_PROCESSING: 'async',
    });
    expect(code).toBe(78);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^Invalid configuration: brokers\.default\.provider = "inline" with command_processing = "async", event_processing = "async": .*`npm start`.*provider = "redis"/,
      ),
    ]);
  });
});
