import { randomUUID } from 'node:crypto';
import { RedisStreamsBroker } from '../../adapters/redis/streams/redis-streams.broker.js';
import { resolveBrokerSettings } from '../../adapters/brokers/broker-settings.js';
import { ConfigurationError } from '../../core/config/configuration.error.js';
import { StreamPartitions } from '../../core/messages/stream-partitions.js';
import { Redis } from 'ioredis';
import { PARTITION_LAYOUTS_KEY } from '../../adapters/redis/streams/redis-partition-leases.js';
import { switchPartitionLayouts } from './partition-layout.js';
import { assertPartitionRouting } from '../../application/partition-routing.js';
import { SpawnedRedis } from '../../../../../test/support/spawned-redis.js';

/*
 * Issue 17 §1: changing a category's partition count is a migration (drain, then switch),
 * never a silent reordering. On a private redis-server.
 */
describe('partition layout: a changed count waits for the old layout to drain', () => {
  let server: SpawnedRedis;
  let broker: RedisStreamsBroker;
  let category: string;
  const GROUP = 'OrderSummaryProjector';

  const switchTo = (partitions: number) =>
    switchPartitionLayouts(
      [{ broker, category }],
      new StreamPartitions(partitions === 1 ? {} : { [category]: { partitions } }),
    );

  beforeAll(async () => {
    server = await SpawnedRedis.start();
    broker = new RedisStreamsBroker(
      'default',
      resolveBrokerSettings({
        provider: 'redis',
        uri: server.url(),
        max_payload_bytes: 1024 * 1024,
        max_stream_length: 0,
      }),
    );
  }, 15_000);

  beforeEach(() => {
    category = `shop::order${randomUUID().slice(0, 8)}`;
  });

  afterAll(async () => {
    await broker.close();
    await server.stop();
  });

  it('records the first layout of a fresh category, and then leaves it be', async () => {
    await switchTo(8);
    expect((await broker.partitionLayouts()).get(category)).toBe(8);
    await switchTo(8);
    expect((await broker.partitionLayouts()).get(category)).toBe(8);
  });

  it('refuses a new count while the old partitions hold undelivered or pending messages', async () => {
    await switchTo(8);
    const old = `${category}#3`;
    await broker.ensureGroup(old, GROUP, '0');
    await broker.publish({ stream: old, data: '{"n":1}' });
    await broker.publish({ stream: old, data: '{"n":2}' });

    const refusal = await switchTo(4).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ConfigurationError);
    expect((refusal as ConfigurationError).key).toBe(`streams.${category}.partitions`);
    expect((refusal as ConfigurationError).message).toContain(
      `laid out in 8 partition(s) and still hold 2 message(s) (2 on "${old}" for ${GROUP})`,
    );
    expect((await broker.partitionLayouts()).get(category)).toBe(8);

    // Delivered but not acknowledged still counts: it would be redelivered beside the new layout.
    const [first, second] = await broker.read(old, GROUP, 'w', { count: 10, blockMs: 0 });
    await broker.ack(old, GROUP, [first.id]);
    await expect(switchTo(4)).rejects.toThrow('still hold 1 message(s)');

    await broker.ack(old, GROUP, [second.id]);
    await switchTo(4);
    expect((await broker.partitionLayouts()).get(category)).toBe(4);
  });

  it('guards the way from one stream to partitions and back the same way', async () => {
    await broker.ensureGroup(category, GROUP, '0');
    await broker.publish({ stream: category, data: '{"n":1}' });
    await expect(switchTo(8)).rejects.toThrow('laid out in 1 partition(s) and still hold 1');
    // Every group counts, this worker's pool's or not: nobody would read the old stream again.
    const [left] = await broker.read(category, GROUP, 'w', { count: 10, blockMs: 0 });
    await broker.ensureGroup(category, 'CatalogProjector', '0');
    await broker.ack(category, GROUP, [left.id]);
    await expect(switchTo(8)).rejects.toThrow(`1 on "${category}" for CatalogProjector`);
    await broker.read(category, 'CatalogProjector', 'w', { count: 10, blockMs: 0 });
    await broker.ack(category, 'CatalogProjector', [left.id]);
    await switchTo(8);
    expect((await broker.partitionLayouts()).get(category)).toBe(8);

    await broker.ensureGroup(`${category}#5`, GROUP, '0');
    await broker.publish({ stream: `${category}#5`, data: '{"n":2}' });
    await expect(switchTo(1)).rejects.toThrow(`1 on "${category}#5"`);
  });

  it('refuses a new count while a running worker still routes the category the old way', async () => {
    await switchTo(8);
    const presence = {
      consumer: `w-${category}`,
      host: 'h',
      pid: 42,
      handlers: [GROUP],
      pool: null,
      startedAt: new Date().toISOString(),
      seenAt: new Date().toISOString(),
      partitions: { [category]: 8 },
    };
    await broker.announceWorker(presence, 60_000);
    try {
      await expect(switchTo(4)).rejects.toThrow(
        `1 running worker(s) route "${category}" in 8 partition(s) (w-${category} on h, pid 42)`,
      );
      expect((await broker.partitionLayouts()).get(category)).toBe(8);
    } finally {
      await broker.withdrawWorker(presence.consumer);
    }
    await switchTo(4);
    expect((await broker.partitionLayouts()).get(category)).toBe(4);
  });

  it('lets a process publish only as its workers read: the routing check', async () => {
    const raw = new Redis(server.url());
    await raw.del(PARTITION_LAYOUTS_KEY); // the layouts other tests recorded
    raw.disconnect();
    await switchTo(8);
    const unpartitioned = new StreamPartitions({});
    // Nobody reads the recorded layout any more: a change under way, for the workers to make.
    await expect(assertPartitionRouting(broker, unpartitioned)).resolves.toBeUndefined();

    const reader = {
      consumer: 'w-8',
      host: 'h',
      pid: 8,
      handlers: [GROUP],
      pool: null,
      startedAt: new Date().toISOString(),
      seenAt: new Date().toISOString(),
      partitions: { [category]: 8 },
    };
    await broker.announceWorker(reader, 60_000);
    try {
      const refusal = await assertPartitionRouting(broker, unpartitioned).catch(
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(ConfigurationError);
      expect((refusal as ConfigurationError).message).toContain(
        `streams.${category}.partitions: is 1 in this process, but 1 running worker(s) read "${category}" in 8 partition(s) (w-8 on h, pid 8)`,
      );
      await expect(
        assertPartitionRouting(broker, new StreamPartitions({ [category]: { partitions: 8 } })),
      ).resolves.toBeUndefined();
    } finally {
      await broker.withdrawWorker(reader.consumer);
    }
  });
});
