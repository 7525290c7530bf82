import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { eventually } from 'nestjs-protean/testing';

export const ROOT = resolve(import.meta.dirname, '../..');
export const API_MAIN = resolve(ROOT, 'dist/apps/bookshelf-api/src/main.js');
export const WORKER_MAIN = resolve(ROOT, 'dist/apps/bookshelf-worker/src/main.js');
export const CLI_MAIN = resolve(ROOT, 'dist/apps/bookshelf-worker/src/cli.js');
/** The package's `protean` bin, as `npx protean` runs it. */
export const PROTEAN_BIN = resolve(ROOT, 'libs/protean/dist/operations/cli/bin.js');

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Whether `port` can be listened on now, on every interface (as the worker's probes listen). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, () => server.close(() => done(true)));
  });
}

/**
 * The first of `count` consecutive free ports: a supervisor of N workers serves their probes on
 * `port` … `port + N - 1`, and a port beside a free one may belong to another process.
 */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await freePort();
    let free = true;
    for (let next = first + 1; free && next < first + count; next++) free = await portIsFree(next);
    if (free) return first;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/**
 * The deadline and cadence for conditions that real processes, servers and databases reach:
 * `eventually(check, { ...PROCESS_POLL, what })`, longer than `eventually`'s own defaults.
 */
export const PROCESS_POLL = { timeoutMs: 10_000, intervalMs: 50 } as const;

/** How long a process's pipes may stay open after it has exited (its own children hold them). */
const OUTPUT_DRAIN_MS = 2_000;

/** How a process ended: its exit code, or the signal that killed it. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A child Node process with its output kept, for tests that need real processes. */
export class NodeProcess {
  /** Every process started and not yet exited, so a test file can never leave one behind. */
  static readonly running = new Set<NodeProcess>();
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exit>;

  /** Not `node` but a launcher (`npx`): signals go to its process group, its children too. */
  private readonly launcher: boolean;

  /**
   * Runs `node script …args` in this repository, or `command script …args` in `cwd` (e.g.
   * `npx protean server` in a project of its own).
   */
  constructor(
    script: string,
    args: string[] = [],
    env: NodeJS.ProcessEnv = {},
    { cwd = ROOT, command = process.execPath }: { cwd?: string; command?: string } = {},
  ) {
    // npx runs the bin through `sh -c` and exits on SIGTERM without passing it on: the
    // launched process is reached through the group, and has exited once the pipes close.
    this.launcher = command !== process.execPath;
    this.child = spawn(command, [script, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: this.launcher,
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    NodeProcess.running.add(this);
    this.exited = new Promise((done) =>
      this.child.once(this.launcher ? 'close' : 'exit', (code, signal) => {
        NodeProcess.running.delete(this);
        void this.outputRead().then(() => done({ code, signal }));
      }),
    );
  }

  /**
   * Resolves once both pipes have closed, so `stdout` and `stderr` hold everything the process
   * wrote: Node may emit 'exit' before the last chunk is read (a CLI's one-line error, seen
   * empty under load). A process's own children can hold the pipes open after it has gone, so
   * the wait is bounded.
   */
  private outputRead(): Promise<void> {
    const closed = (stream: NodeJS.ReadableStream & { closed?: boolean }) =>
      stream.closed ? Promise.resolve() : once(stream, 'close').then(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      Promise.all([closed(this.child.stdout!), closed(this.child.stderr!)]).then(() => undefined),
      new Promise<void>((done) => (timer = setTimeout(done, OUTPUT_DRAIN_MS))),
    ]).finally(() => clearTimeout(timer));
  }

  /** `work` (a wait on this process), failed at once, with its output, if the process exits first. */
  whileRunning<T>(work: Promise<T>, what: string): Promise<T> {
    return Promise.race([
      work,
      this.exited.then(({ code, signal }) => {
        throw new Error(`${what} exited (${code ?? signal}):\n${this.stderr}\n${this.stdout}`);
      }),
    ]);
  }

  /** Resolves once `url` answers 2xx (polled), failing at `timeoutMs` or if the process exits. */
  async answering(url: string, what: string, timeoutMs = 30_000): Promise<void> {
    await this.whileRunning(
      eventually(async () => (await fetch(url)).ok, {
        ...PROCESS_POLL,
        timeoutMs,
        what: `${what} to be ready`,
      }),
      what,
    );
  }

  /** The exit, or `undefined` if the process still runs after `ms`. */
  async exitedWithin(ms: number): Promise<Exit | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.exited,
        new Promise<undefined>((done) => (timer = setTimeout(done, ms, undefined))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) {
    if (!NodeProcess.running.has(this)) return this.exited;
    this.signal(signal);
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  private signal(signal: NodeJS.Signals): void {
    if (!this.launcher) {
      this.child.kill(signal);
      return;
    }
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      // the whole group has exited already
    }
  }
}

/** Starts the API and waits until `/health` answers; resolves to its process and base URL. */
export async function startApi(args: string[], env: NodeJS.ProcessEnv = {}) {
  const port = await freePort();
  const api = new NodeProcess(API_MAIN, args, { PORT: String(port), ...env });
  const url = `http://127.0.0.1:${port}`;
  await api.answering(`${url}/health`, 'the API', 20_000);
  return { api, url };
}

/** Runs a Node script to its end; resolves to its exit code and output. */
export async function runToExit(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = new NodeProcess(script, args, env);
  const { code } = await child.exited;
  return { code, stdout: child.stdout, stderr: child.stderr };
}

/** The test-only outbox relay process (see test/support/bin/outbox-relay.process.ts). */
export const OUTBOX_RELAY_MAIN = resolve(ROOT, 'dist/test/support/bin/outbox-relay.process.js');

/** The compiled benchmark runner (`npm run bench`). */
export const BENCH_MAIN = resolve(ROOT, 'dist/bench/run.js');
export const TEST_WORKER_MAIN = resolve(ROOT, 'dist/test/support/bin/bookshelf-test-worker.js');
/** A preload (`node --import`): an OpenTelemetry SDK writing finished spans to OTEL_SPANS_FILE. */
export const OTEL_PRELOAD = resolve(ROOT, 'dist/test/support/bin/otel-preload.js');
/** A preload (`node --import`) that kills the process before it publishes orders after commit. */
export const CRASH_BEFORE_PUBLISH_PRELOAD = resolve(
  ROOT,
  'dist/test/support/bin/crash-before-publish.preload.js',
);
