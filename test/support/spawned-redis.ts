import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './processes.js';

const REDIS_SERVER = 'redis-server';
const REDIS_CLI = 'redis-cli';
const START_TIMEOUT_MS = 10_000;

/** TLS files for a `--tls-port` server (see tls-certificates.ts). */
export interface TlsFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export interface SpawnedRedisOptions {
  /**
   * Keep the data across a stop (append-only file, fsync on every write), as a production
   * Redis would; without it a restarted server starts empty, as a crashed Redis without AOF
   * would.
   */
  readonly persistent?: boolean;
  /** Require this password (`--requirepass`); `uri` and `client()` then present it. */
  readonly password?: string;
  /** Extra `redis-server` options (e.g. `--databases 4`). */
  readonly args?: readonly string[];
  /** Serve TLS only, with these files: `uri` is then `rediss://`. */
  readonly tls?: TlsFiles;
}

/**
 * A Redis server of this test's own, on a free port, that the test may stop, restart, pause,
 * password-protect or TLS-wrap — which must never be done to the shared one.
 */
export class SpawnedRedis {
  private server?: ChildProcess;
  private readonly dataDir?: string;
  readonly password?: string;
  readonly tls?: TlsFiles;
  private args: readonly string[];

  private constructor(
    readonly port: number,
    options: SpawnedRedisOptions,
  ) {
    this.password = options.password;
    this.tls = options.tls;
    this.args = options.args ?? [];
    if (options.persistent) this.dataDir = mkdtempSync(join(tmpdir(), 'protean-redis-'));
  }

  /** Starts a server on a free port. */
  static async start(options: SpawnedRedisOptions = {}): Promise<SpawnedRedis> {
    const redis = new SpawnedRedis(await freePort(), options);
    await redis.start();
    return redis;
  }

  /** The URI a client connects with: presenting the password, if any. */
  get uri(): string {
    return this.password === undefined ? this.url() : this.uriWith(this.password);
  }

  /** The URI presenting `password` (URL-encoded, as a URI requires), right or wrong. */
  uriWith(password: string): string {
    return this.url(`:${encodeURIComponent(password)}`);
  }

  /** `redis://127.0.0.1:<port>` (`rediss://` for a TLS server), with `credentials` as written. */
  url(credentials = ''): string {
    const scheme = this.tls ? 'rediss' : 'redis';
    return `${scheme}://${credentials ? `${credentials}@` : ''}127.0.0.1:${this.port}`;
  }

  /** A client presenting the right password, if any; the caller disconnects it. */
  client(): Redis {
    return new Redis({ host: '127.0.0.1', port: this.port, password: this.password });
  }

  /**
   * Starts the server (again, after a stop) on the same port, with other `redis-server`
   * options if given; resolves once it accepts connections.
   */
  start(args: readonly string[] = this.args): Promise<void> {
    this.args = args;
    const persistence = this.dataDir
      ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dataDir]
      : ['--appendonly', 'no'];
    const auth = this.password === undefined ? [] : ['--requirepass', this.password];
    const network = this.tls
      ? [
          '--port',
          '0',
          '--tls-port',
          String(this.port),
          '--tls-cert-file',
          this.tls.cert,
          '--tls-key-file',
          this.tls.key,
          '--tls-ca-cert-file',
          this.tls.ca,
          '--tls-auth-clients',
          'no',
        ]
      : ['--port', String(this.port)];
    const child = spawn(
      REDIS_SERVER,
      [...network, '--bind', '127.0.0.1', '--save', '', ...persistence, ...auth, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.server = child;
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () =>
          fail(new Error(`redis-server did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
        START_TIMEOUT_MS,
      );
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(error);
      };
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => fail(new Error(`redis-server exited (${code}):\n${output}`)));
    });
  }

  /** Kills the server, paused or not (its data survives only when `persistent`); safe twice. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGCONT');
    server.kill('SIGKILL');
    await exited;
  }

  /** `redis-cli shutdown nosave`, as an operator would; resolves once the process has exited. */
  async shutdown(cliArgs: readonly string[] = []): Promise<void> {
    const server = this.server;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    await promisify(execFile)(REDIS_CLI, [
      '-p',
      String(this.port),
      ...cliArgs,
      'shutdown',
      'nosave',
    ]).catch(
      () => undefined, // the connection drops as the server goes; the exit is what counts
    );
    await exited;
    this.server = undefined;
  }

  /** Freezes the server (SIGSTOP): its sockets stay open but nothing answers. */
  pause(): void {
    this.server?.kill('SIGSTOP');
  }

  /** Thaws a paused server. */
  resume(): void {
    this.server?.kill('SIGCONT');
  }

  /** Stops the server for good and deletes its data. */
  async destroy(): Promise<void> {
    await this.stop();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
