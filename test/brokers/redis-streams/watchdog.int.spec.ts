import { type StreamBroker, BrokerReadTimeoutError } from 'nestjs-protean';
import { Redis } from 'ioredis';
import { eventually, within, readUntil } from 'nestjs-protean/testing';
import { redisBroker } from '../../support/redis-broker.js';
import { SpawnedRedis } from '../../support/spawned-redis.js';

/*
 * A server that stops answering without closing its sockets (a frozen host, a dead network
 * path) must not freeze a reader: the watchdog fails the read and drops the connection.
 * SIGSTOP on a private redis-server produces exactly that.
 */
describe('redis: the blocking-read watchdog', () => {
  let server: SpawnedRedis;
  let broker: StreamBroker;

  beforeAll(async () => {
    server = await SpawnedRedis.start();
    broker = redisBroker(server.url(), { read_timeout_grace_ms: 300, command_timeout_ms: 2000 });
  }, 15_000);

  afterAll(async () => {
    server.resume();
    await broker.close();
    await server.stop();
  }, 15_000);

  it('fails a read that outlives its block time, then reads again once Redis answers', async () => {
    await broker.ensureGroup('jobs', 'G');
    // Opens the reader connection, so that the next read is on the wire at once.
    await broker.read('jobs', 'G', 'c', { count: 1, blockMs: 0 });

    const reading = broker.read('jobs', 'G', 'c', { count: 1, blockMs: 500 });
    server.pause();
    try {
      await expect(within(reading, 4000, 'the read on a frozen server')).rejects.toThrow(
        BrokerReadTimeoutError,
      );
      await expect(reading).rejects.toThrow(/got no answer within 800 ms/);
    } finally {
      server.resume();
    }

    // The abandoned read is still in the thawed server's socket buffer: Redis may run it and
    // serve it before noticing the socket closed. An entry published in that window would go
    // pending to the abandoned read (and come back only through reclaim), so wait it out.
    await eventually(async () => (await blockedClients(server)) === 0, {
      what: 'the server dropping the abandoned read',
    });
    await broker.publish({ stream: 'jobs', data: '{"n":1}' });
    const [message] = await readUntil(broker, 'jobs', 'G', 'c', 1);
    expect(message.data).toBe('{"n":1}');
  }, 15_000);

  it('publishes and acknowledges while a read is blocked', async () => {
    await broker.ensureGroup('idle', 'G');
    const blocked = broker.read('idle', 'G', 'c', { count: 1, blockMs: 2000 });
    const publishing = broker.publish({ stream: 'other', data: '{}' }).then(() => 'publish');
    const acking = broker.ack('other', 'G', ['1-0']).then(() => 'ack');
    const first = await Promise.race([publishing, acking, blocked.then(() => 'read')]);
    expect(first).not.toBe('read');
    await expect(Promise.all([publishing, acking])).resolves.toEqual(['publish', 'ack']);
    await blocked;
  }, 15_000);
});

/** How many clients of the server are blocked in a command. */
async function blockedClients(server: SpawnedRedis): Promise<number> {
  const admin = new Redis(server.url());
  try {
    const list = String(await admin.client('LIST'));
    return list.split('\n').filter((line) => / flags=\w*b/.test(line)).length;
  } finally {
    admin.disconnect();
  }
}
