import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  freePort,
  freePorts,
  NodeProcess,
  PROTEAN_BIN,
  runToExit,
  PROCESS_POLL,
} from '../support/processes.js';
import { SpawnedRedis } from '../support/spawned-redis.js';
import { eventually } from 'nestjs-protean/testing';

const packageVersion = (
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../../libs/protean/package.json'), 'utf8'),
  ) as {
    version: string;
  }
).version;

/** The embedded default (memory, inline): what the CLI needs to run without services. */
const EMBEDDED: NodeJS.ProcessEnv = { PROTEAN_CONFIG: '/dev/null', LOG_FORMAT: 'json' };
/**
 * A worker apart from the API needs a broker others can publish to: the defaults but for
 * `stream` subscriptions on a Redis of this file's own.
 */
const serverEnv = (redis: SpawnedRedis): NodeJS.ProcessEnv => ({
  ...EMBEDDED,
  PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_TYPE: 'stream',
  PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis',
  PROTEAN_BROKERS__DEFAULT__URI: redis.uri,
});
/** Colours decided by the output alone (a Jest run from a terminal may export FORCE_COLOR). */
const PLAIN: NodeJS.ProcessEnv = { FORCE_COLOR: '' };

describe('the protean bin (nestjs-protean/dist/operations/cli/bin.js)', () => {
  let scratch: string;
  let redis: SpawnedRedis;
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'protean-bin-'));
    redis = await SpawnedRedis.start();
  });
  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await redis.destroy();
  });

  /** NODE_OPTIONS that make the process fail if it resolves `@nestjs/core` or `@nestjs/common`. */
  function forbidNest(): NodeJS.ProcessEnv {
    const hooks = join(scratch, 'forbid-nest.hooks.mjs');
    writeFileSync(
      hooks,
      `export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@nestjs/')) throw new Error('loaded ' + specifier);
  return next(specifier, context);
}\n`,
    );
    const register = join(scratch, 'forbid-nest.mjs');
    writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    return { NODE_OPTIONS: `--import=${pathToFileURL(register).href}` };
  }

  it('answers --help and --version without loading Nest', async () => {
    const help = await runToExit(PROTEAN_BIN, ['--help'], { ...PLAIN, ...forbidNest() });
    expect(help).toMatchObject({ code: 0, stderr: '' });
    for (const command of ['server', 'dlq', 'outbox', 'db', 'subscriptions', 'observatory'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(help.stdout).toContain('--module <file[#Export]>');
    expect(help.stdout).not.toContain('\x1b['); // piped: no colours

    const dlqHelp = await runToExit(PROTEAN_BIN, ['dlq', '--help'], forbidNest());
    expect(dlqHelp).toMatchObject({ code: 0, stderr: '' });
    expect(dlqHelp.stdout).toContain('replay-all');

    const version = await runToExit(PROTEAN_BIN, ['--version'], forbidNest());
    expect(version).toEqual({ code: 0, stdout: `${packageVersion}\n`, stderr: '' });
  });

  it('colours its help only when asked for a terminal (FORCE_COLOR), never with NO_COLOR', async () => {
    const forced = await runToExit(PROTEAN_BIN, ['--help'], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('\x1b[1mUsage:');
    const refused = await runToExit(PROTEAN_BIN, ['--help'], { FORCE_COLOR: '1', NO_COLOR: '1' });
    expect(refused.stdout).not.toContain('\x1b[');
  });

  it('runs `server --domain bookshelf` on the module the repository declares, until SIGTERM', async () => {
    const port = await freePort();
    const server = new NodeProcess(PROTEAN_BIN, ['server', '--domain', 'bookshelf'], {
      ...serverEnv(redis),
      PROTEAN_SERVER__HEALTH__PORT: String(port),
    });
    try {
      await server.answering(`http://127.0.0.1:${port}/readyz`, 'the engine');
      // The bookshelf's handlers are subscribed: the module came from package.json "protean".
      const status =
        (await (await fetch(`http://127.0.0.1:${port}/health`)).text()) + server.stdout;
      expect(status).toContain('ReserveStockHandler');
    } finally {
      expect(await server.stop()).toEqual({ code: 0, signal: null });
    }
  });

  it('supervises workers (--workers) logging as they do: with LOG_FORMAT=json, JSON lines only', async () => {
    const port = await freePort();
    const supervisor = new NodeProcess(PROTEAN_BIN, ['server', '--workers', '1'], {
      ...serverEnv(redis),
      PROTEAN_SERVER__HEALTH__PORT: String(port),
    });
    try {
      await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, {
        ...PROCESS_POLL,
        timeoutMs: 30_000,
        what: "the supervised worker's engine to be ready",
      });
    } finally {
      expect(await supervisor.stop()).toEqual({ code: 0, signal: null });
    }
    const lines = supervisor.stdout.trim().split('\n');
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as { msg?: string; context?: string };
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
    expect(parsed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          context: 'Supervisor',
          msg: expect.stringMatching(/^Worker 1\/1 started/),
        }),
      ]),
    );
  });

  it('refuses to serve the embedded default apart from the API: one line, exit 78, no restarts', async () => {
    // Two workers probe on port and port + 1: both must be free, or the second fails to listen.
    const env = { ...EMBEDDED, PROTEAN_SERVER__HEALTH__PORT: String(await freePorts(2)) };
    const single = await runToExit(PROTEAN_BIN, ['server', '--domain', 'bookshelf'], env);
    expect(single.code).toBe(78);
    expect(single.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^Invalid configuration: server\.default_subscription_type = "event_store" \(the default\) with event_store\.provider = "memory" in a worker that runs apart from the API: .*`npm start`\)$/,
      ),
    ]);
    const supervised = await runToExit(PROTEAN_BIN, ['server', '--workers', '2'], env);
    expect(supervised.code).toBe(78);
    expect(supervised.stdout).not.toContain('restarting');
    expect(supervised.stdout).toContain('refused its configuration');
  });

  it('refuses a --domain other than the configured one, naming both', async () => {
    const wrong = await runToExit(PROTEAN_BIN, ['dlq', 'list', '--domain', 'shop'], EMBEDDED);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toMatch(
      /^error: --domain "shop" does not match the configured domain "bookshelf" \(from .*package\.json "protean"\.domain\)/,
    );
  });

  it('inspects dead letters without the domain: `dlq list` works when the module cannot load', async () => {
    const broken = join(scratch, 'broken-domain.mjs');
    writeFileSync(broken, "throw new Error('the domain does not build today');\n");
    const list = await runToExit(PROTEAN_BIN, ['dlq', 'list', '--module', broken], EMBEDDED);
    expect(list).toMatchObject({ code: 0, stdout: 'No dead letters.\n' });
    // A command that needs the domain still loads it, and says why it could not.
    const status = await runToExit(
      PROTEAN_BIN,
      ['subscriptions', 'status', '--module', broken],
      EMBEDDED,
    );
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain('the domain does not build today');
  });

  it('names what to do when it finds no module (a directory that declares none)', () => {
    const lost = spawnSync(process.execPath, [PROTEAN_BIN, 'server', '--domain', 'shop'], {
      cwd: scratch,
      env: { ...process.env, ...EMBEDDED },
      encoding: 'utf8',
    });
    expect(lost.status).toBe(1);
    expect(lost.stderr).toMatch(/^error: No Protean module found from .*: pass --module/);
  });
});
