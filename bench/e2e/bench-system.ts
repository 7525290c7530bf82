import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../test/support/postgres.js';
import { freePort, NodeProcess, runToExit } from '../../test/support/processes.js';
import { SpawnedRedis } from '../../test/support/spawned-redis.js';
import { API_MAIN, CHAPTER_TOML, CLI_MAIN, WORKER_MAIN } from '../support/paths.js';

/** The chapter's domain.toml (test/fixtures/chapter-domain.toml), verbatim but for the two URIs. */
function chapterToml(databaseUri: string, redisUri: string): string {
  return readFileSync(CHAPTER_TOML, 'utf8')
    .replace('postgresql://localhost:5432/bookshelf', databaseUri)
    .replace('redis://localhost:6379/0', redisUri);
}

/**
 * The production setup for the end-to-end benchmark: a `bench_e2e_*` database on the shared
 * PostgreSQL (migrated with `protean db setup`), a Redis of its own, the chapter's domain.toml
 * with the worker tuned through environment variables, and the built API and worker processes.
 */
export class BenchSystem {
  private readonly processes: NodeProcess[] = [];
  url = '';
  /** Where each process serves its Prometheus metrics: the API's, then each worker's probe port. */
  readonly metricsUrls: string[] = [];

  private constructor(
    readonly db: TestDatabase,
    private readonly redis: SpawnedRedis,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Starts the API and `workers` worker processes (one unless told). */
  static async start(env: NodeJS.ProcessEnv, workers = 1): Promise<BenchSystem> {
    const [db, redis] = await Promise.all([createTestDatabase('bench_e2e'), SpawnedRedis.start()]);
    const config = join(mkdtempSync(join(tmpdir(), 'bench-e2e-')), 'domain.toml');
    writeFileSync(config, chapterToml(db.uri, redis.uri));
    const system = new BenchSystem(db, redis, { PROTEAN_CONFIG: config, ...env });
    try {
      const setup = await runToExit(CLI_MAIN, ['db', 'setup'], system.env);
      if (setup.code !== 0) throw new Error(`db setup failed: ${setup.stderr}`);
      const apiPort = await freePort();
      const api = new NodeProcess(API_MAIN, [], { ...system.env, PORT: String(apiPort) });
      system.processes.push(api);
      system.url = `http://127.0.0.1:${apiPort}`;
      await api.answering(`${system.url}/health`, 'the API');
      system.metricsUrls.push(`${system.url}/metrics`);
      for (let n = 0; n < workers; n++) {
        const healthPort = await freePort();
        const worker = new NodeProcess(WORKER_MAIN, [], {
          ...system.env,
          PROTEAN_SERVER__HEALTH__PORT: String(healthPort),
        });
        system.processes.push(worker);
        await worker.answering(`http://127.0.0.1:${healthPort}/readyz`, 'a worker');
        system.metricsUrls.push(`http://127.0.0.1:${healthPort}/metrics`);
      }
      return system;
    } catch (error) {
      await system.stop();
      throw error;
    }
  }

  /** Every process's `/metrics`, as text, in the order of {@link metricsUrls}. */
  async scrapeMetrics(): Promise<string[]> {
    return Promise.all(
      this.metricsUrls.map(async (url) => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
        return response.text();
      }),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((process) => process.stop('SIGTERM')));
    await Promise.all([this.db.drop(), this.redis.stop()]);
  }
}
