import { freePort, NodeProcess, WORKER_MAIN, PROCESS_POLL } from '../support/processes.js';
import { SpawnedRedis } from '../support/spawned-redis.js';
import { eventually } from 'nestjs-protean/testing';

describe('bookshelf worker process', () => {
  it('serves /healthz and /readyz while running its subscriptions, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    // A worker apart from the API needs a broker others can publish to (or a shared event store).
    const redis = await SpawnedRedis.start();
    const worker = new NodeProcess(WORKER_MAIN, [], {
      PROTEAN_SERVER__HEALTH__PORT: String(port),
      PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_TYPE: 'stream',
      PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis',
      PROTEAN_BROKERS__DEFAULT__URI: redis.uri,
    });
    try {
      const ready = await eventually(
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/readyz`);
          return response.ok
            ? ((await response.json()) as { details: Record<string, string> })
            : undefined;
        },
        { ...PROCESS_POLL, timeoutMs: 20_000, what: 'the worker to be ready' },
      );
      expect(ready.details).toEqual({
        engine: 'up',
        database: 'up',
        event_store: 'up',
        'broker:default': 'up',
      });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(worker.stdout).toContain('CatalogProjector@bookshelf::book');
      const startLines = worker.stdout
        .split('\n')
        .filter((line) => line.includes('Protean configuration:'));
      expect(startLines).toHaveLength(1);
      expect(startLines[0]).toContain(
        'Protean configuration: database memory (default), event store memory (default), ' +
          `broker default redis at ${redis.uri} (env), commands sync (default), events sync (default)`,
      );
    } finally {
      expect(await worker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      await redis.stop();
    }
  });

  it('refuses the embedded defaults (memory event store, inline broker) with one line, exit 78', async () => {
    const worker = new NodeProcess(WORKER_MAIN, [], {
      PROTEAN_SERVER__HEALTH__PORT: String(await freePort()),
    });
    const { code } = await worker.exited;
    expect(code).toBe(78);
    expect(worker.stderr.trim()).toMatch(
      /^Invalid configuration: server\.default_subscription_type = "event_store" \(the default\) with event_store\.provider = "memory" in a worker that runs apart from the API: [^\n]+`npm start`\)$/,
    );
  });

  it('refuses stream subscriptions on the inline broker with one line naming the keys, exit 78', async () => {
    const worker = new NodeProcess(WORKER_MAIN, [], {
      PROTEAN_SERVER__HEALTH__PORT: String(await freePort()),
      PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_TYPE: 'stream',
    });
    const { code } = await worker.exited;
    expect(code).toBe(78);
    expect(worker.stderr.trim()).toMatch(
      /^Invalid configuration: server\.default_subscription_type = "stream" with brokers\.default\.provider = "inline" in a worker that runs apart from the API: [^\n]+$/,
    );
  });

  it('stops start-up with one line naming an invalid profile', async () => {
    const worker = new NodeProcess(WORKER_MAIN, [], {
      PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_PROFILE: 'turbo',
    });
    const { code } = await worker.exited;
    expect(code).not.toBe(0);
    expect(worker.stderr.trim()).toBe(
      'Invalid configuration: server.default_subscription_profile = "turbo": expected one of production, fast, batch, debug, projection (from PROTEAN_SERVER__DEFAULT_SUBSCRIPTION_PROFILE)',
    );
  });

  it('exits 69 without a stack trace when its broker refuses the password, naming the broker', async () => {
    const redis = await SpawnedRedis.start({ password: 'right-password' });
    try {
      const worker = new NodeProcess(WORKER_MAIN, [], {
        PROTEAN_SERVER__HEALTH__PORT: String(await freePort()),
        PROTEAN_BROKERS__DEFAULT__PROVIDER: 'redis',
        PROTEAN_BROKERS__DEFAULT__URI: redis.uriWith('wrong-password'),
      });
      const { code } = await worker.exited;
      const output = worker.stdout + worker.stderr;
      expect(code).toBe(69);
      expect(worker.stderr.trim()).toMatch(
        /^Cannot start: Broker "default" \(redis\) could not connect to redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: WRONGPASS[^\n]*$/,
      );
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain('password@');
    } finally {
      await redis.stop();
    }
  });
});
