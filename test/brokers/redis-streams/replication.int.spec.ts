import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { BrokerReplicationError, type StreamBroker } from 'nestjs-protean';
import { eventually } from 'nestjs-protean/testing';
import { redisBroker } from '../../support/redis-broker.js';
import { killServer, spawnRedisServer } from '../../support/redis-cluster.js';

// A primary and its replica of this test's own, on ports 17020 and 17021.
const PRIMARY = 17020;
const REPLICA = 17021;
const URI = `redis://127.0.0.1:${PRIMARY}`;

describe('redis broker: min_replicas on a single Redis with a replica', () => {
  let dir: string;
  let primary: ChildProcess;
  let replica: ChildProcess;
  let replicaClient: Redis;
  const brokers: StreamBroker[] = [];
  const open = (minReplicas: number) => {
    const broker = redisBroker(URI, { min_replicas: minReplicas, wait_timeout_ms: 300 });
    brokers.push(broker);
    return broker;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'protean-replication-'));
    primary = await spawnRedisServer(PRIMARY, join(dir, 'primary'));
    replica = await spawnRedisServer(REPLICA, join(dir, 'replica'), [
      '--replicaof',
      '127.0.0.1',
      String(PRIMARY),
    ]);
    replicaClient = new Redis({ port: REPLICA, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    await eventually(
      async () => String(await replicaClient.info('replication')).includes('master_link_status:up'),
      { timeoutMs: 10_000, what: 'the replica in sync' },
    );
  });

  afterAll(async () => {
    await Promise.all(brokers.map((broker) => broker.close()));
    replicaClient?.disconnect();
    await Promise.all([primary, replica].filter(Boolean).map(killServer));
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts a publish done once the replica holds it', async () => {
    const id = await open(1).publish({ stream: 'replicated', data: '{"n":1}' });
    // WAIT answered: the replica has the entry already, no polling needed.
    expect(await replicaClient.xrange('replicated', id, id)).toHaveLength(1);
  });

  it('fails a publish that fewer replicas than min_replicas hold, as unavailability', async () => {
    const broker = open(2);
    const refused = broker.publishBatch([
      { stream: 'replicated', data: '{"n":2}' },
      { stream: 'other', data: '{"n":3}' },
    ]);
    await expect(refused).rejects.toThrow(BrokerReplicationError);
    await expect(refused).rejects.toThrow(
      'publish to "replicated", "other" reached 1 of min_replicas = 2 replicas within 300 ms',
    );
  });

  it('fails every publish while the replica is down', async () => {
    const broker = open(1);
    await broker.publish({ stream: 'replicated', data: '{"n":4}' });
    await killServer(replica);
    await expect(broker.publish({ stream: 'replicated', data: '{"n":5}' })).rejects.toThrow(
      BrokerReplicationError,
    );
    await expect(open(0).publish({ stream: 'replicated', data: '{"n":6}' })).resolves.toMatch(
      /^\d+-\d+$/,
    );
  });
});
