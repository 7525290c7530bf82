import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitFor } from './processes.js';

export interface SpawnedRedisOptions {
  /**
   * Keep the data across a stop (append-only file, fsync on every write), as a production
   * Redis would; without it a restarted server starts empty.
   */
  readonly persistent?: boolean;
  /** Require this password (`--requirepass`); `uri` and `client()` then present it. */
  readonly password?: string;
}

/**
 * A Redis server of this test's own, on a free port, that the test may stop and start again
 * (the shared server must never be stopped).
 */
export class SpawnedRedis {
  private server?: ChildProcess;
  private readonly dataDir?: string;
  readonly password?: string;

  private constructor(
    readonly port: number,
    options: SpawnedRedisOptions,
  ) {
    this.password = options.password;
    if (options.persistent) this.dataDir = mkdtempSync(join(tmpdir(), 'protean-redis-'));
  }

  static async start(options: SpawnedRedisOptions = {}): Promise<SpawnedRedis> {
    const redis = new SpawnedRedis(await freePort(), options);
    await redis.start();
    return redis;
  }

  get uri(): string {
    return this.password === undefined
      ? `redis://127.0.0.1:${this.port}`
      : this.uriWith(this.password);
  }

  /** The URI presenting `password` (URL-encoded, as a URI requires), right or wrong. */
  uriWith(password: string): string {
    return `redis://:${encodeURIComponent(password)}@127.0.0.1:${this.port}`;
  }

  /** A client presenting the right password, if any; the caller disconnects it. */
  client(): Redis {
    return new Redis({ host: '127.0.0.1', port: this.port, password: this.password });
  }

  async start(): Promise<void> {
    const persistence = this.dataDir
      ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dataDir]
      : ['--appendonly', 'no'];
    const auth = this.password === undefined ? [] : ['--requirepass', this.password];
    this.server = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, ...auth],
      { stdio: 'ignore' },
    );
    await waitFor(
      async () => {
        const probe = new Redis({
          host: '127.0.0.1',
          port: this.port,
          password: this.password,
          lazyConnect: true,
          retryStrategy: () => null,
        });
        probe.on('error', () => undefined);
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } finally {
          probe.disconnect();
        }
      },
      { what: `redis-server on port ${this.port}` },
    );
  }

  /** Kills the server (its data survives only when `persistent`). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }

  /** Stops the server for good and deletes its data. */
  async destroy(): Promise<void> {
    await this.stop();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
