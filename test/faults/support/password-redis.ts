import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort, waitFor } from '../../support/processes.js';

/**
 * A redis-server of this test's own that requires a password (`--requirepass`), on a free
 * port; it can be stopped and started again on the same port with the same password.
 */
export class PasswordRedis {
  private server?: ChildProcess;

  private constructor(
    readonly port: number,
    readonly password: string,
  ) {}

  static async start(password: string): Promise<PasswordRedis> {
    const redis = new PasswordRedis(await freePort(), password);
    await redis.start();
    return redis;
  }

  /** The URI with `password` (default: the right one), URL-encoded as a URI requires. */
  uri(password = this.password): string {
    return `redis://:${encodeURIComponent(password)}@127.0.0.1:${this.port}`;
  }

  /** A client with the right password; the caller disconnects it. */
  client(): Redis {
    return new Redis({ host: '127.0.0.1', port: this.port, password: this.password });
  }

  async start(): Promise<void> {
    this.server = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
      ].concat(['--requirepass', this.password]),
      { stdio: 'ignore' },
    );
    await waitFor(
      async () => {
        const probe = new Redis({
          port: this.port,
          host: '127.0.0.1',
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
      { what: `redis-server with a password on port ${this.port}` },
    );
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }
}
