import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis, type Cluster } from 'ioredis';
import {
  BrokerConnectionError,
  BrokerReplicationError,
  keyInSlotOf,
  PartitionLeaseLostError,
  type PartitionLeases,
  type BrokerConfig,
  type StreamBroker,
} from 'nestjs-protean';
import {
  describeBrokerConformance,
  eventually,
  readUntil,
  uniqueName,
} from 'nestjs-protean/testing';
import { redisBroker } from '../../support/redis-broker.js';
import { killServer, spawnRedisServer, SpawnedRedisCluster } from '../../support/redis-cluster.js';

// Fixed ports (the brokers are created before the cluster starts): 17000-17005.
const BASE_PORT = 17000;
const URI = `redis+cluster://${[0, 1, 2, 3, 4, 5].map((i) => `127.0.0.1:${BASE_PORT + i}`).join(',')}`;

const PROVENANCE = {
  originalId: '1-0',
  group: 'Handler',
  consumer: 'worker-1',
  error: 'boom',
  attempts: 1,
  failedAt: '2026-01-01T00:00:00.000Z',
};

const LONE_NODE = 17030;
const CLUSTER_NODE_ARGS = [
  '--cluster-enabled',
  'yes',
  '--cluster-config-file',
  'nodes.conf',
  '--cluster-announce-ip',
  '127.0.0.1',
];

let cluster: SpawnedRedisCluster;
let cleaner: Cluster;

beforeAll(async () => {
  cluster = await SpawnedRedisCluster.start({ basePort: BASE_PORT });
  cleaner = cluster.client();
}, 60_000);

afterAll(async () => {
  cleaner?.disconnect();
  await cluster?.destroy();
});

describeBrokerConformance('redis on a cluster of 3 masters + 3 replicas', {
  create: (overrides) => redisBroker(URI, overrides),
  cleanup: async (streams) => {
    for (const stream of streams) {
      await cleaner.del(keyInSlotOf(stream, '', true));
      await cleaner.del(keyInSlotOf(stream, ':dlq', true));
    }
  },
});

describe('redis on a cluster: keys, slots and replicas', () => {
  const streams: string[] = [];
  const opened: StreamBroker[] = [];
  const open = (overrides: Partial<BrokerConfig> = {}): StreamBroker => {
    const broker = redisBroker(URI, overrides);
    opened.push(broker);
    return broker;
  };
  const newStream = (): string => {
    const name = uniqueName('cluster');
    streams.push(name);
    return name;
  };
  const slotOf = async (key: string): Promise<number> =>
    Number(await cleaner.call('CLUSTER', 'KEYSLOT', key));

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((broker) => broker.close()));
    for (const stream of streams.splice(0)) {
      for (const key of [stream, `${stream}#0`, `${stream}#1`]) {
        await cleaner.del(keyInSlotOf(key, '', true));
        await cleaner.del(keyInSlotOf(key, ':dlq', true));
      }
    }
  });

  it('keeps a stream, its partitions and their dead letters in the slot of its tag', async () => {
    const broker = open();
    const stream = newStream();
    await broker.publish({ stream, data: '{"n":1}' });
    await broker.publish({ stream: `${stream}#1`, data: '{"n":2}' });
    await broker.deadLetter(stream, '{"n":1}', PROVENANCE);
    await broker.deadLetter(`${stream}#1`, '{"n":2}', PROVENANCE);

    const keys = [`{${stream}}`, `{${stream}}#1`, `{${stream}}:dlq`, `{${stream}}#1:dlq`];
    for (const key of keys) expect(await cleaner.exists(key)).toBe(1);
    expect(await cleaner.exists(stream)).toBe(0);
    const slots = await Promise.all(keys.map(slotOf));
    expect(new Set(slots).size).toBe(1);
    expect((await broker.listDeadLetters()).map((letter) => letter.stream)).toEqual(
      expect.arrayContaining([stream, `${stream}#1`]),
    );
  });

  it("keeps partition leases in their category's slot: balance, fenced read, refusal", async () => {
    const broker = open() as StreamBroker & PartitionLeases;
    const category = newStream();
    const balance = (consumer: string, ttlMs: number) =>
      broker.balancePartitions({ category, partitions: 2, group: 'G', consumer, ttlMs });
    const [lease] = (await balance('a', 300)).leases;
    const stream = `${category}#${lease.partition}`;
    await broker.ensureGroup(stream, 'G');
    await broker.publish({ stream, data: '{"n":1}' });
    const at = { stream, group: 'G', consumer: 'a' };
    const read = await broker.readUnderLease(at, category, lease, { count: 10, blockMs: 0 });
    expect(read.map((m) => m.data)).toEqual(['{"n":1}']);

    const leaseKey = `protean:leases:{${category}}:G`;
    expect(await slotOf(leaseKey)).toBe(await slotOf(keyInSlotOf(stream, '', true)));
    // Another member takes the partition once the lease expires; the first is fenced off.
    await eventually(async () => (await balance('b', 60_000)).leases.length === 2, {
      timeoutMs: 5000,
      intervalMs: 50,
      what: 'the expired lease taken over',
    });
    await expect(
      broker.readUnderLease(at, category, lease, { count: 10, blockMs: 0 }),
    ).rejects.toBeInstanceOf(PartitionLeaseLostError);
    await cleaner.del(leaseKey);
  });

  it('publishes one batch across streams of different masters, ids in input order', async () => {
    const byMaster = new Map<number, string>();
    while (byMaster.size < 3) {
      const stream = uniqueName('cluster');
      const master = await cluster.masterOf(keyInSlotOf(stream, '', true));
      if (!byMaster.has(master)) {
        byMaster.set(master, stream);
        streams.push(stream);
      }
    }
    const targets = [...byMaster.values()];
    const messages = [0, 1, 2, 3, 4, 5].map((n) => ({
      stream: targets[n % 3],
      data: JSON.stringify({ n }),
    }));
    const broker = open();
    for (const stream of targets) await broker.ensureGroup(stream, 'G');

    const ids = await broker.publishBatch(messages);

    for (const [index, stream] of targets.entries()) {
      const received = await readUntil(broker, stream, 'G', 'c', 2);
      expect(received.map((m) => m.id)).toEqual([ids[index], ids[index + 3]]);
      expect(received.map((m) => (JSON.parse(m.data!) as { n: number }).n)).toEqual([
        index,
        index + 3,
      ]);
    }
  });

  it('lists the dead letters of streams on every master', async () => {
    const broker = open();
    const byMaster = new Map<number, string>();
    while (byMaster.size < 3) {
      const stream = uniqueName('cluster');
      const master = await cluster.masterOf(keyInSlotOf(stream, ':dlq', true));
      if (!byMaster.has(master)) {
        byMaster.set(master, stream);
        streams.push(stream);
        await broker.deadLetter(stream, '{}', PROVENANCE);
      }
    }
    const listed = new Set((await broker.listDeadLetters()).map((letter) => letter.stream));
    for (const stream of byMaster.values()) expect(listed.has(stream)).toBe(true);
  });

  it('fails commands within twice command_timeout_ms once every node is gone', async () => {
    // A cluster of one node (port 17030) serving every slot, killed under a connected client:
    // ioredis would queue later commands until some node answers again.
    const dir = mkdtempSync(join(tmpdir(), 'protean-lone-node-'));
    const node = await spawnRedisServer(LONE_NODE, dir, CLUSTER_NODE_ARGS);
    try {
      const admin = new Redis({ host: '127.0.0.1', port: LONE_NODE });
      await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
      admin.disconnect();
      const broker = open({
        uri: `redis+cluster://127.0.0.1:${LONE_NODE}`,
        command_timeout_ms: 200,
      });
      await eventually(() => broker.publish({ stream: 'lone', data: '{}' }), {
        timeoutMs: 10_000,
        what: 'the one-node cluster serving',
      });
      await killServer(node);
      for (const attempt of [1, 2, 3]) {
        const started = Date.now();
        await expect(broker.publish({ stream: 'lone', data: `{"n":${attempt}}` })).rejects.toThrow(
          BrokerConnectionError,
        );
        expect(Date.now() - started).toBeLessThan(1_500);
      }
    } finally {
      await killServer(node);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts a publish done once min_replicas hold it, and fails it when fewer can', async () => {
    const stream = newStream();
    const held = open({ min_replicas: 1, wait_timeout_ms: 1000 });
    await expect(held.publish({ stream, data: '{"n":1}' })).resolves.toMatch(/^\d+-\d+$/);

    // Every master has one replica: two can never acknowledge.
    const tooMany = open({ min_replicas: 2, wait_timeout_ms: 200 });
    const refused = tooMany.publish({ stream, data: '{"n":2}' });
    await expect(refused).rejects.toThrow(BrokerReplicationError);
    await expect(refused).rejects.toThrow(/reached 1 of min_replicas = 2 replicas within 200 ms/);
  });
});
