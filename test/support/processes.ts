import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { eventually } from 'nestjs-protean/testing';

export const ROOT = resolve(import.meta.dirname, '../..');
export const API_MAIN = resolve(ROOT, 'dist/apps/bookshelf-api/src/main.js');
export const WORKER_MAIN = resolve(ROOT, 'dist/apps/bookshelf-worker/src/main.js');
export const CLI_MAIN = resolve(ROOT, 'dist/apps/bookshelf-worker/src/cli.js');
/** The package's `protean` bin, as `npx protean` runs it. */
export const PROTEAN_BIN = resolve(ROOT, 'libs/protean/dist/cli/bin.js');

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

/**
 * Polls `check` until it returns a value other than `undefined`/`false`, or fails at the
 * deadline: `eventually` with the longer defaults that real processes need.
 */
export function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  return eventually(check, { timeoutMs, intervalMs, what });
}

/** A child Node process with its output kept, for tests that need real processes. */
export class NodeProcess {
  /** Every process started and not yet exited, so a test file can never leave one behind. */
  static readonly running = new Set<NodeProcess>();
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    NodeProcess.running.add(this);
    this.exited = new Promise((done) =>
      this.child.once('exit', (code, signal) => {
        NodeProcess.running.delete(this);
        done({ code, signal });
      }),
    );
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

/** Starts the API and waits until `/health` answers; resolves to its process and base URL. */
export async function startApi(args: string[], env: NodeJS.ProcessEnv = {}) {
  const port = await freePort();
  const api = new NodeProcess(API_MAIN, args, { PORT: String(port), ...env });
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitFor(async () => (await fetch(`${url}/health`)).ok, {
      timeoutMs: 20_000,
      what: 'the API to answer /health',
    }),
    api.exited.then(({ code }) => {
      throw new Error(`API exited with ${code} before answering:\n${api.stderr}`);
    }),
  ]);
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
