import { spawn } from 'node:child_process';
import type { Redis } from 'ioredis';
import { CLI_MAIN, runToExit } from '../support/processes.js';
import { SpawnedRedis } from '../support/spawned-redis.js';

/** Each CLI run boots Node (and Nest when it gets past its arguments): seconds on a busy machine. */
const TIMEOUT_MS = 180_000;

/**
 * `protean dlq` as a real process against a Redis of its own (purging "every stream" on the
 * shared one would delete other people's dead letters): destructive commands need a stream or
 * an explicit `--all`, and `--yes` without a terminal; numbers and ids are checked before any
 * broker is asked; `replay-all` gets past letters it cannot replay.
 */
describe('protean CLI: dead letters (dlq)', () => {
  let redis: SpawnedRedis;
  let raw: Redis;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runToExit(CLI_MAIN, args, env);

  /** Writes a dead letter of `stream` as the engine does; `data` undefined leaves the field out. */
  const deadLetter = (stream: string, data: string | undefined) =>
    raw.xadd(
      `${stream}:dlq`,
      '*',
      ...(data === undefined ? [] : ['data', data]),
      ...['stream', stream, 'originalId', '1-0', 'group', 'G', 'consumer', 'c'],
      ...['error', 'boom', 'attempts', '1', 'failedAt', '2026-01-01T00:00:00.000Z'],
    ) as Promise<string>;
  const dlqLength = (stream: string) => raw.xlen(`${stream}:dlq`);

  beforeAll(async () => {
    redis = await SpawnedRedis.start();
    raw = redis.client();
    env = {
      PROTEAN_DATABASES__DEFAULT__PROVIDER: 'memory',
      PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis',
      PROTEAN_BROKERS__DEFAULT__URI: redis.uri,
    };
  });

  beforeEach(() => raw.del('a', 'a:dlq', 'b', 'b:dlq', 'orders', 'orders:dlq'));

  afterAll(async () => {
    raw.disconnect();
    await redis.destroy();
  });

  it(
    'never purges every stream by default: an empty or missing stream, or no --yes, is a usage error',
    async () => {
      await deadLetter('a', '{}');
      await deadLetter('b', '{}');

      const [empty, blank, missing, both, notConfirmed, replayNotConfirmed] = await Promise.all([
        cli('dlq', 'purge', '--stream', ''),
        cli('dlq', 'replay-all', '--stream', ' ', '--yes'),
        cli('dlq', 'purge', '--yes'),
        cli('dlq', 'purge', '--stream', 'a', '--all', '--yes'),
        cli('dlq', 'purge', '--stream', 'a'),
        cli('dlq', 'replay-all', '--all'),
      ]);
      const refusals = { empty, blank, missing, both, notConfirmed, replayNotConfirmed };
      for (const result of Object.values(refusals)) expect(result).toMatchObject({ code: 2 });
      expect(refusals.empty.stderr).toContain(
        "error: option '--stream <stream>' argument '' is invalid. expected a stream name, got an empty one",
      );
      expect(refusals.blank.stderr).toContain('expected a stream name, got an empty one');
      expect(refusals.missing.stderr).toContain(
        'error: name the stream (--stream), or give --all to act on every stream',
      );
      expect(refusals.both.stderr).toContain('error: give --stream or --all, not both');
      expect(refusals.notConfirmed.stderr).toContain(
        'error: dlq purge asks for confirmation, and stdin/stdout are not a terminal: give --yes to run it',
      );
      expect(refusals.replayNotConfirmed.stderr).toContain(
        'error: dlq replay-all asks for confirmation',
      );
      expect([await dlqLength('a'), await dlqLength('b')]).toEqual([1, 1]);

      const one = await cli('dlq', 'purge', '--stream', 'a', '--yes');
      expect(one).toMatchObject({ code: 0, stdout: 'Purged 1 dead letter(s).\n' });
      expect([await dlqLength('a'), await dlqLength('b')]).toEqual([0, 1]);
      const all = await cli('dlq', 'purge', '--all', '--yes');
      expect(all).toMatchObject({ code: 0, stdout: 'Purged 1 dead letter(s).\n' });
      expect(await dlqLength('b')).toBe(0);
    },
    TIMEOUT_MS,
  );

  it(
    'refuses a number out of range or not a number, naming the option and what is allowed (exit 2)',
    async () => {
      await deadLetter('a', '{}');
      const limits = ['0', '-5', 'abc', '1e20'];
      const [workers, port, ...listings] = await Promise.all([
        cli('server', '--workers', '1e3'),
        cli('observatory', '--port', '0x50'),
        ...limits.map((limit) => cli('dlq', 'list', '--limit', limit)),
      ]);
      listings.forEach((listed, i) => {
        expect([limits[i], listed.code, listed.stdout]).toEqual([limits[i], 2, '']);
        expect(listed.stderr).toContain(
          `error: option '--limit <n>' argument '${limits[i]}' is invalid. expected a whole number from 1 to 100000`,
        );
      });
      expect(workers.code).toBe(2);
      expect(workers.stderr).toContain(
        "option '--workers <n>' argument '1e3' is invalid. expected a whole number from 1 to 64",
      );
      expect(port.code).toBe(2);
      expect(port.stderr).toContain('expected a whole number from 1 to 65535');

      const listed = await cli('dlq', 'list', '--limit', '1', '--json');
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toHaveLength(1);
    },
    TIMEOUT_MS,
  );

  it(
    'answers "No dead letter" for an id out of range, and a usage error for a malformed one',
    async () => {
      await deadLetter('orders', '{}');
      const outOfRange = await cli('dlq', 'inspect', '99999999999999999999999-0');
      expect(outOfRange).toMatchObject({ code: 1, stdout: '' });
      expect(outOfRange.stderr).toBe(
        'error: No dead letter 99999999999999999999999-0; see `dlq list`\n',
      );
      const replay = await cli('dlq', 'replay', '18446744073709551616-0', '--stream', 'orders');
      expect(replay.code).toBe(1);
      expect(replay.stderr).toBe(
        'error: No dead letter 18446744073709551616-0 on orders:dlq; see `dlq list`\n',
      );
      const malformed = await cli('dlq', 'inspect', 'abc');
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toContain(
        "error: command-argument value 'abc' is invalid for argument 'id'. expected a dead letter id <ms>-<seq>",
      );
    },
    TIMEOUT_MS,
  );

  it(
    'replay-all replays past letters without data, then names them and exits 1',
    async () => {
      await deadLetter('orders', '{"n":1}');
      const noData = await deadLetter('orders', undefined);
      await deadLetter('orders', '{"n":3}');

      const replay = await cli('dlq', 'replay-all', '--stream', 'orders', '--yes');
      expect(replay).toMatchObject({ code: 1, stdout: 'Replayed 2 dead letter(s).\n' });
      expect(replay.stderr).toContain(
        `error: 1 dead letter(s) not replayed, they have no data field: orders ${noData}; they stay in the DLQ`,
      );
      const replayed = await raw.xrange('orders', '-', '+');
      expect(replayed.map(([, fields]) => fields)).toEqual([
        ['data', '{"n":1}'],
        ['data', '{"n":3}'],
      ]);
      expect((await raw.xrange('orders:dlq', '-', '+')).map(([id]) => id)).toEqual([noData]);
    },
    TIMEOUT_MS,
  );

  it(
    'asks on a terminal, and does nothing unless the answer is yes',
    async () => {
      await deadLetter('a', '{}');
      const no = await onTerminal(['dlq', 'purge', '--stream', 'a'], 'n\n', env);
      expect(no.output).toContain(
        'Delete every dead letter of stream "a" (broker "default")? [y/N]',
      );
      expect(no.output).toContain('Not confirmed: nothing was purged');
      expect(no.code).toBe(1);
      expect(await dlqLength('a')).toBe(1);

      const yes = await onTerminal(['dlq', 'purge', '--stream', 'a'], 'y\n', env);
      expect(yes.output).toContain('Purged 1 dead letter(s).');
      expect(yes.code).toBe(0);
      expect(await dlqLength('a')).toBe(0);
    },
    TIMEOUT_MS,
  );
});

/**
 * Runs the CLI with stdin and stdout on a pseudo-terminal (util-linux `script`), typing
 * `answer`; resolves to its exit code and what the terminal showed.
 */
function onTerminal(args: string[], answer: string, env: NodeJS.ProcessEnv) {
  const command = [process.execPath, CLI_MAIN, ...args].map((arg) => `'${arg}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.write(answer);
  // 'close', not 'exit': the last of the output may still be in the pipes at 'exit'.
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, output })),
  );
}
