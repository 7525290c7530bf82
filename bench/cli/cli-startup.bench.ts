import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchResult } from '../support/bench-result.js';
import { alternate, medianOf, roundedSamples } from '../support/contest.js';
import { REPO_ROOT } from '../support/paths.js';

export interface CliStartupBenchOptions {
  readonly rounds: number;
  readonly redisUri: string;
}

const PROTEAN_BIN = resolve(REPO_ROOT, 'libs/protean/dist/operations/cli/bin.js');
const NEST_EMPTY = resolve(REPO_ROOT, 'dist/bench/cli/nest-empty.process.js');

/**
 * Scenario 7 (issue 13): how long a `protean` command takes from the shell to its exit, beside
 * Node starting an empty Nest application (the peer) and `npx` running a bin that does nothing
 * (npx's own cost, which no package can go below). Wall time of a fresh process each, the
 * contenders alternated; `dlq list` reads the dead letters of a real Redis.
 */
export async function cliStartupBenchmark(options: CliStartupBenchOptions): Promise<BenchResult> {
  const floor = npxFloorProject();
  const env = {
    ...process.env,
    NO_COLOR: '1',
    PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis',
    PROTEAN_BROKERS__DEFAULT__URI: options.redisUri,
  };
  const timed =
    (command: string, args: string[], cwd = REPO_ROOT) =>
    () =>
      Promise.resolve(wallMs(command, args, cwd, env));
  try {
    const samples = await alternate(
      [
        { name: 'nest', run: timed(process.execPath, [NEST_EMPTY]) },
        { name: 'help', run: timed(process.execPath, [PROTEAN_BIN, '--help']) },
        { name: 'npx-floor', run: timed('npx', ['--no-install', 'noop'], floor) },
        { name: 'npx-nest', run: timed('npx', ['--no-install', 'nest-empty'], floor) },
        { name: 'npx-help', run: timed('npx', ['--no-install', 'protean', '--help']) },
        { name: 'dlq', run: timed(process.execPath, [PROTEAN_BIN, 'dlq', 'list']) },
        { name: 'npx-dlq', run: timed('npx', ['--no-install', 'protean', 'dlq', 'list']) },
      ],
      options.rounds,
    );
    const ms = (name: string) => medianOf(samples, name);
    // Each against the peer started the same way: plain node, or through npx.
    const row = (contender: string, name: string, peer: string, note: string) => ({
      scenario: '7 CLI start → exit',
      contender,
      figures: {
        'median ms': ms(name).toFixed(0),
        'ours ÷ peer': (ms(name) / ms(peer)).toFixed(2),
        note,
      },
    });
    return {
      key: 'cli-startup',
      rows: [
        row(
          'node: empty Nest app context (peer)',
          'nest',
          'nest',
          'create + close, compile cache on',
        ),
        row('npx nest-empty (the peer through npx)', 'npx-nest', 'npx-nest', 'npx + the peer'),
        row('npx noop (a bin that does nothing)', 'npx-floor', 'npx-nest', "npx's own cost"),
        row('protean --help', 'help', 'nest', 'goal < 300 ms; loads no Nest'),
        row('npx protean --help', 'npx-help', 'npx-nest', 'npx + protean --help'),
        row('protean dlq list', 'dlq', 'nest', 'goal ≤ 2× the peer; Redis broker'),
        row('npx protean dlq list', 'npx-dlq', 'npx-nest', 'goal ≤ 2× the peer through npx'),
      ],
      data: {
        rounds: options.rounds,
        median_ms: Object.fromEntries(
          [...samples.keys()].map((name) => [name, Math.round(ms(name))]),
        ),
        samples_ms: roundedSamples(samples),
      },
    };
  } finally {
    rmSync(floor, { recursive: true, force: true });
  }
}

/**
 * A project with two bins: one that does nothing (what `npx` costs before any package code
 * runs) and one that starts the peer (Nest through `npx`, like for like with `npx protean`).
 */
function npxFloorProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-npx-floor-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"npx-floor","private":true,"type":"module"}\n');
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  const bins = {
    noop: '#!/usr/bin/env node\n',
    'nest-empty': `#!/usr/bin/env node\nawait import(${JSON.stringify(NEST_EMPTY)});\n`,
  };
  for (const [name, text] of Object.entries(bins)) {
    const file = join(dir, 'node_modules/.bin', `${name}`);
    writeFileSync(file, text);
    chmodSync(file, 0o755);
  }
  return dir;
}

/** One run's wall time, from spawn to exit; a failed run fails the benchmark. */
function wallMs(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}
