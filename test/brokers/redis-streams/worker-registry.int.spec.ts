import { Redis } from 'ioredis';
import type { StreamBroker, WorkerPresence, WorkerRegistry } from 'nestjs-protean';
import {
  RedisWorkerRegistry,
  WORKERS_KEY,
} from 'nestjs-protean/internal/adapters/redis/streams/redis-worker-registry.js';
import { redisBroker } from '../../support/redis-broker.js';
import { SpawnedRedis } from '../../support/spawned-redis.js';

/*
 * Issue 17 §2: running workers announce themselves in Redis, so every process can show which
 * pool runs what. On a private redis-server: the shared one holds the announcements of every
 * other suite's engines.
 */
describe('redis: running workers announce themselves', () => {
  let server: SpawnedRedis;
  let raw: Redis;
  let broker: StreamBroker & WorkerRegistry;

  const presence = (consumer: string, handlers: string[] = ['CatalogProjector']) =>
    ({
      consumer,
      host: 'h',
      pid: 1,
      handlers,
      pool: handlers.length === 1 ? `handlers ${handlers[0]}` : null,
      startedAt: '2026-12-06T00:00:00.000Z',
      seenAt: '2026-12-06T00:00:01.000Z',
    }) satisfies WorkerPresence;

  beforeAll(async () => {
    server = await SpawnedRedis.start();
    raw = new Redis(server.url());
    broker = redisBroker(server.url()) as StreamBroker & WorkerRegistry;
  }, 15_000);

  afterEach(() => raw.del(WORKERS_KEY));

  afterAll(async () => {
    raw.disconnect();
    await broker.close();
    await server.stop();
  });

  it('lists the workers announced and not withdrawn, as announced', async () => {
    expect(broker.capabilities.workerRegistry).toBe(true);
    await broker.announceWorker(presence('w-2', ['A', 'B']), 60_000);
    await broker.announceWorker(presence('w-1'), 60_000);
    await broker.announceWorker(presence('w-3'), 60_000);
    await broker.withdrawWorker('w-3');
    expect(await broker.runningWorkers()).toEqual([presence('w-1'), presence('w-2', ['A', 'B'])]);
  });

  it('forgets a worker that stopped renewing (a crash) once its announcement expires', async () => {
    let now = 1_000_000;
    const registry = new RedisWorkerRegistry(raw, () => now);
    await registry.announceWorker(presence('crashed'), 15_000);
    await registry.announceWorker(presence('alive'), 15_000);
    now += 14_999;
    expect((await registry.runningWorkers()).map((w) => w.consumer)).toEqual(['alive', 'crashed']);
    await registry.announceWorker(presence('alive'), 15_000); // renewed
    now += 1;
    expect((await registry.runningWorkers()).map((w) => w.consumer)).toEqual(['alive']);
    expect(await raw.hexists(WORKERS_KEY, 'crashed')).toBe(0);
  });

  it('skips what is not an announcement, never trusting it', async () => {
    await broker.announceWorker(presence('w-1'), 60_000);
    await raw.hset(WORKERS_KEY, 'junk', 'not json');
    await raw.hset(WORKERS_KEY, 'other', JSON.stringify({ ...presence('w-9'), expiresAt: 9e15 }));
    await raw.hset(WORKERS_KEY, 'bad', JSON.stringify({ consumer: 'bad', handlers: 'all' }));
    expect(await broker.runningWorkers()).toEqual([presence('w-1')]);
  });
});
