import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const REDIS_SERVER = '/usr/bin/redis-server';
const REDIS_CLI = '/usr/bin/redis-cli';

/** TLS files for a `--tls-port` server (see tls-certificates.ts). */
export interface TlsFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is free again when this resolves). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * A private `redis-server` for tests that restart, pause, password-protect or TLS-wrap Redis,
 * which must never be done to the shared one. No persistence: a restart loses everything, as
 * a crashed Redis without AOF would.
 */
export class SpawnedRedis {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly args: readonly string[],
    readonly tls: TlsFiles | undefined,
  ) {}

  /** Starts a server on a free port; `args` are extra `redis-server` options. */
  static async start(args: readonly string[] = [], tls?: TlsFiles): Promise<SpawnedRedis> {
    const server = new SpawnedRedis(await freePort(), args, tls);
    await server.launch();
    return server;
  }

  /** `redis://127.0.0.1:<port>` (or `rediss://` for a TLS server), with optional credentials. */
  url(credentials = ''): string {
    const scheme = this.tls ? 'rediss' : 'redis';
    return `${scheme}://${credentials ? `${credentials}@` : ''}127.0.0.1:${this.port}`;
  }

  /** `redis-cli -p <port> shutdown nosave`, then waits for the process to exit. */
  async shutdown(cliArgs: readonly string[] = []): Promise<void> {
    const exited = this.exited();
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
  }

  /** Starts the server again on the same port (with other `redis-server` options if given). */
  async restart(args: readonly string[] = this.args): Promise<void> {
    await this.launch(args);
  }

  /** Freezes the server (SIGSTOP): its sockets stay open but nothing answers. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  /** Thaws a paused server. */
  resume(): void {
    this.process?.kill('SIGCONT');
  }

  /** Kills the server if it runs; safe to call twice. */
  async kill(): Promise<void> {
    if (!this.process || this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = this.exited();
    this.process.kill('SIGCONT');
    this.process.kill('SIGKILL');
    await exited;
  }

  private exited(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => child.once('exit', () => resolve()));
  }

  private launch(args: readonly string[] = this.args): Promise<void> {
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
      [...network, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(
        () => fail(new Error(`redis-server did not start:\n${output}`)),
        10_000,
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
}
