import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import {
  API_MAIN,
  CLI_MAIN,
  freePort,
  NodeProcess,
  ROOT,
  runToExit,
  WORKER_MAIN,
} from './processes.js';
import { SpawnedRedis, type SpawnedRedisOptions } from './spawned-redis.js';

export interface BookshelfSystemOptions {
  /** A database to use instead of a new one on the shared server (e.g. on a SpawnedPostgres). */
  readonly database?: TestDatabase;
  readonly redis?: SpawnedRedisOptions;
  /** A broker URI of the test's own (e.g. a cluster's): then no Redis is spawned. */
  readonly brokerUri?: string;
  /** Run `protean db setup` before anything starts (default); false: the processes migrate. */
  readonly dbSetup?: boolean;
}

/** The chapter's domain.toml (test/fixtures/chapter-domain.toml), verbatim but for the two URIs. */
export function chapterToml(databaseUri: string, redisUri: string): string {
  return readFileSync(join(ROOT, 'test/fixtures/chapter-domain.toml'), 'utf8')
    .replace('postgresql://localhost:5432/bookshelf', databaseUri)
    .replace('redis://localhost:6379/0', redisUri);
}

export interface BookTotals {
  readonly confirmed: number;
  readonly rejected: number;
  readonly placed: number;
}

/**
 * The production setup of the bookshelf, for tests: a database of its own on the shared
 * PostgreSQL (migrated with `protean db setup`), a Redis of its own (the domain's stream names
 * are fixed, so tests must not share one), the chapter's domain.toml, and the API and workers
 * as real processes.
 */
export class BookshelfSystem {
  readonly processes: NodeProcess[] = [];

  private constructor(
    readonly db: TestDatabase,
    private readonly spawnedRedis: SpawnedRedis | undefined,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The Redis of this system; none when it was started on a `brokerUri` of the test's own. */
  get redis(): SpawnedRedis {
    if (!this.spawnedRedis) throw new Error('this system runs on a broker of the test (brokerUri)');
    return this.spawnedRedis;
  }

  static async start(
    env: NodeJS.ProcessEnv = {},
    options: BookshelfSystemOptions = {},
  ): Promise<BookshelfSystem> {
    const [db, redis] = await Promise.all([
      options.database ?? createTestDatabase('bookshelf_e2e'),
      options.brokerUri ? undefined : SpawnedRedis.start(options.redis),
    ]);
    const config = join(mkdtempSync(join(tmpdir(), 'bookshelf-')), 'domain.toml');
    writeFileSync(config, chapterToml(db.uri, options.brokerUri ?? redis!.uri));
    const system = new BookshelfSystem(db, redis, { PROTEAN_CONFIG: config, ...env });
    if (options.dbSetup === false) return system;
    const setup = await runToExit(CLI_MAIN, ['db', 'setup'], system.env);
    if (setup.code !== 0) throw new Error(`db setup failed: ${setup.stderr}`);
    return system;
  }

  /** Starts the API (producer only) and waits for `/health`. */
  async startApi(env: NodeJS.ProcessEnv = {}): Promise<{ process: NodeProcess; url: string }> {
    const port = await freePort();
    const api = this.track(
      new NodeProcess(API_MAIN, [], { ...this.env, PORT: String(port), ...env }),
    );
    const url = `http://127.0.0.1:${port}`;
    await api.answering(`${url}/health`, 'the API');
    return { process: api, url };
  }

  /**
   * Starts a worker (`script` defaults to the bookshelf worker) and waits for `/readyz`, on a
   * free port unless `env` names one (PROTEAN_SERVER__HEALTH__PORT).
   */
  async startWorker(
    env: NodeJS.ProcessEnv = {},
    script = WORKER_MAIN,
    args: string[] = [],
  ): Promise<NodeProcess> {
    const port = Number(env.PROTEAN_SERVER__HEALTH__PORT ?? (await freePort()));
    const worker = this.track(
      new NodeProcess(script, args, {
        ...this.env,
        PROTEAN_SERVER__HEALTH__PORT: String(port),
        ...env,
      }),
    );
    await worker.answering(`http://127.0.0.1:${port}/readyz`, 'the worker');
    return worker;
  }

  /** A Redis client on this system's Redis; closed by `stop()`. */
  redisClient(): Redis {
    const client = new Redis(this.redis.uri);
    this.clients.push(client);
    return client;
  }

  /** Runs the CLI against this system. */
  cli(...args: string[]) {
    return runToExit(CLI_MAIN, args, this.env);
  }

  /** Order statuses as the order summaries show them. */
  async orderTotals(): Promise<BookTotals> {
    const rows = await this.db.query<{ status: string; count: string }>(
      `SELECT document->>'status' AS status, count(*) FROM projections WHERE name = 'order_summaries' GROUP BY 1`,
    );
    const count = (status: string) => Number(rows.find((row) => row.status === status)?.count ?? 0);
    return { confirmed: count('CONFIRMED'), rejected: count('REJECTED'), placed: count('PLACED') };
  }

  async outboxByStatus(): Promise<Record<string, number>> {
    const rows = await this.db.query<{ status: string; count: string }>(
      'SELECT status, count(*) FROM outbox GROUP BY status',
    );
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((process) => process.stop('SIGKILL')));
    for (const client of this.clients) client.disconnect();
    await Promise.all([this.db.drop(), this.spawnedRedis?.destroy()]);
  }

  private readonly clients: Redis[] = [];

  private track(process: NodeProcess): NodeProcess {
    this.processes.push(process);
    return process;
  }
}

/** POSTs JSON; resolves to the status and parsed body. */
export async function postJson(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Runs `work` over `items` with at most `limit` at once (an HTTP client's connection pool). */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]);
      }
    }),
  );
  return results;
}
