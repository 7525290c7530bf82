import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { TestDatabase } from './postgres.js';
import { freePort, PROCESS_POLL } from './processes.js';
import { eventually } from 'nestjs-protean/testing';

const POSTGRES_ROOT = '/usr/lib/postgresql';

/** The newest PostgreSQL installed (`/usr/lib/postgresql/<version>/bin`), or `POSTGRES_BIN`. */
function binDir(): string {
  if (process.env.POSTGRES_BIN) return process.env.POSTGRES_BIN;
  const versions = existsSync(POSTGRES_ROOT)
    ? readdirSync(POSTGRES_ROOT).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error(`No PostgreSQL under ${POSTGRES_ROOT}`);
  return join(POSTGRES_ROOT, versions[0], 'bin');
}

/**
 * A PostgreSQL cluster of this test's own, on a free port and a temporary directory, that the
 * test may stop (`-m immediate`: a crash) and start again — the shared server must never be.
 * As root, the cluster runs as the `postgres` user (PostgreSQL refuses to run as root).
 */
export class SpawnedPostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<SpawnedPostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'protean-pg-'));
    const cluster = new SpawnedPostgres(dir, await freePort());
    if (process.getuid?.() === 0) chownSync(dir, uid('postgres'), uid('postgres', 'g'));
    cluster.run('initdb', ['-D', cluster.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    await cluster.start();
    return cluster;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  get uri(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    this.run('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      join(this.dir, 'server.log'),
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      '-w',
      'start',
    ]);
    await eventually(() => this.query(this.uri, 'SELECT 1').then(() => true), {
      ...PROCESS_POLL,
      what: `PostgreSQL on port ${this.port}`,
    });
  }

  /** Stops the server; `immediate` is a crash (no checkpoint, recovery at the next start). */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    if (!existsSync(join(this.dataDir, 'postmaster.pid'))) return;
    this.run('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', 'stop']);
  }

  /** A new database on this cluster, shaped like the shared server's test databases. */
  async createDatabase(name = 'bookshelf_faults'): Promise<TestDatabase> {
    await this.query(this.uri, `CREATE DATABASE ${name}`);
    const uri = `postgresql://postgres@127.0.0.1:${this.port}/${name}`;
    return {
      name,
      uri,
      query: <R>(text: string, values?: unknown[]) => this.query<R>(uri, text, values),
      drop: () => Promise.resolve(),
    };
  }

  /** Stops the server and deletes its directory. */
  destroy(): void {
    try {
      this.stop('immediate');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private async query<R>(uri: string, text: string, values?: unknown[]): Promise<R[]> {
    const client = new Client({ connectionString: uri });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(text, values)).rows as R[];
    } finally {
      await client.end();
    }
  }

  private run(tool: string, args: string[]): void {
    const command = join(binDir(), tool);
    const asRoot = process.getuid?.() === 0;
    execFileSync(
      asRoot ? 'runuser' : command,
      asRoot ? ['-u', 'postgres', '--', command, ...args] : args,
      {
        stdio: 'ignore',
      },
    );
  }
}

function uid(user: string, kind: 'u' | 'g' = 'u'): number {
  return Number(
    execFileSync('id', [`-${kind}`, user])
      .toString()
      .trim(),
  );
}
