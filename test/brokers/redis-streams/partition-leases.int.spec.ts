import { randomUUID } from 'node:crypto';
import {
  PartitionLeaseLostError,
  type PartitionLease,
  type PartitionLeases,
  type StreamBroker,
} from 'nestjs-protean';
import { redisBroker } from '../../support/redis-broker.js';
import { SpawnedRedis } from '../../support/spawned-redis.js';
import { eventually } from 'nestjs-protean/testing';

/*
 * Issue 17 §1: the partitions of a category are shared among a group's live members under
 * leases in Redis, and a read under a lease that was lost is refused by Redis itself (the
 * fencing token), whatever its holder believes. On a private redis-server.
 */
describe('redis: partition leases', () => {
  let server: SpawnedRedis;
  let broker: StreamBroker & PartitionLeases;
  const GROUP = 'Projector';
  const TTL = 60_000;
  let category: string;

  const balance = (consumer: string, ttlMs = TTL, partitions = 8) =>
    broker.balancePartitions({ category, partitions, group: GROUP, consumer, ttlMs });
  const read = (consumer: string, lease: PartitionLease, blockMs = 0) =>
    broker.readUnderLease(
      { stream: `${category}#${lease.partition}`, group: GROUP, consumer },
      category,
      lease,
      { count: 10, blockMs },
    );

  beforeAll(async () => {
    server = await SpawnedRedis.start();
    broker = redisBroker(server.url()) as StreamBroker & PartitionLeases;
  }, 15_000);

  beforeEach(() => {
    category = `shop::order${randomUUID().slice(0, 8)}`;
  });

  afterAll(async () => {
    await broker.close();
    await server.stop();
  });

  it('gives a lone member every partition, then shares them fairly with a second one', async () => {
    expect(broker.capabilities.partitionLeases).toBe(true);
    const alone = await balance('a');
    expect(alone).toMatchObject({ members: 1, fair: 8 });
    expect(alone.leases.map((l) => l.partition).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    // b joins: every partition is held, so it gets none until a gives its extra ones back.
    const joined = await balance('b');
    expect(joined).toMatchObject({ members: 2, fair: 4, leases: [] });
    const renewed = await balance('a');
    expect(renewed).toMatchObject({ members: 2, fair: 4 });
    expect(renewed.leases.map((l) => l.token)).toEqual(
      expect.arrayContaining(alone.leases.map((l) => l.token)),
    );
    for (const lease of renewed.leases.slice(4))
      await broker.releasePartition(category, GROUP, lease);

    const shared = await balance('b');
    expect(shared.leases).toHaveLength(4);
    const ofA = new Set(renewed.leases.slice(0, 4).map((l) => l.partition));
    expect(shared.leases.every((lease) => !ofA.has(lease.partition))).toBe(true);
  });

  it('hands a stopped member’s partitions to the others once its leases expire', async () => {
    const short = 300;
    const gone = await balance('gone', short);
    expect(gone.leases).toHaveLength(8);
    const taken = await eventually(
      async () => {
        const share = await balance('survivor', short);
        return share.leases.length === 8 && share;
      },
      { timeoutMs: 5000, intervalMs: 50, what: 'the expired leases taken over' },
    );
    expect(taken.members).toBe(1);
    // Every grant has a new token: the old ones are fenced off.
    const old = new Set(gone.leases.map((l) => l.token));
    expect(taken.leases.some((lease) => old.has(lease.token))).toBe(false);
  });

  it('refuses a read under a lease that was taken over, and lets the new holder read', async () => {
    const short = 300;
    const [stale] = (await balance('stale', short, 1)).leases;
    const stream = `${category}#0`;
    await broker.ensureGroup(stream, GROUP, '0');
    await broker.publish({ stream, data: '{"n":1}' });
    await expect(read('stale', stale)).resolves.toHaveLength(1);

    const fresh = await eventually(async () => (await balance('fresh', short, 1)).leases[0], {
      timeoutMs: 5000,
      intervalMs: 50,
      what: 'the lease taken over',
    });
    await broker.publish({ stream, data: '{"n":2}' });
    // The stale holder never renewed nor noticed; Redis refuses it all the same.
    await expect(read('stale', stale)).rejects.toBeInstanceOf(PartitionLeaseLostError);
    const got = await read('fresh', fresh);
    expect(got.map((m) => m.data)).toEqual(['{"n":2}']);
  });

  it('refuses a read once the lease is released, and after the member left', async () => {
    const [lease] = (await balance('a', TTL, 1)).leases;
    await broker.releasePartition(category, GROUP, lease);
    await expect(read('a', lease)).rejects.toBeInstanceOf(PartitionLeaseLostError);

    const [again] = (await balance('a', TTL, 1)).leases;
    expect(again.token).not.toBe(lease.token);
    await broker.leavePartitions(category, GROUP, 'a');
    await expect(read('a', again)).rejects.toBeInstanceOf(PartitionLeaseLostError);
    expect((await balance('b', TTL, 1)).members).toBe(1);
  });

  it('waits under a lease for an entry published meanwhile, and creates a missing group', async () => {
    const [lease] = (await balance('a', TTL, 1)).leases;
    const waiting = read('a', lease, 5000);
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the read block first
    await broker.publish({ stream: `${category}#0`, data: '{"late":true}' });
    const got = await waiting;
    expect(got.map((m) => m.data)).toEqual(['{"late":true}']);
  });

  it('records the layout a category is in', async () => {
    expect((await broker.partitionLayouts()).has(category)).toBe(false);
    await broker.recordPartitionLayout(category, 8);
    expect((await broker.partitionLayouts()).get(category)).toBe(8);
  });
});
