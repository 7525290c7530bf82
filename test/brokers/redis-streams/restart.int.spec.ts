import {
  type StreamBroker,
  type ReceivedMessage,
  BrokerClosedError,
  BrokerError,
} from 'nestjs-protean';
import { Redis } from 'ioredis';
import { eventually, within } from 'nestjs-protean/testing';
import { redisBroker } from '../../support/redis-broker.js';
import { SpawnedRedis } from '../../support/spawned-redis.js';

/*
 * Acceptance 3: Redis restarts, losing everything, while a consumer is blocked reading. The
 * consumer must come back by itself, recreate its group and get the next message; no call may
 * hang. Runs on a private redis-server, since the shared one must never be restarted.
 */
describe('redis: a restart of Redis under a blocked consumer', () => {
  const stream = 'orders';
  const group = 'OrderHandler';
  let server: SpawnedRedis;
  let broker: StreamBroker;

  beforeAll(async () => {
    server = await SpawnedRedis.start();
    broker = redisBroker(server.url(), { read_timeout_grace_ms: 1000 });
  }, 15_000);

  afterAll(async () => {
    await broker.close();
    await server.stop();
  });

  it('resumes within 5 s of Redis coming back and receives the next message', async () => {
    await broker.ensureGroup(stream, group);
    const received: ReceivedMessage[] = [];
    const errors: unknown[] = [];
    let running = true;
    // The consumer loop of a worker: read, acknowledge, and on error simply read again.
    const consumer = (async () => {
      while (running) {
        try {
          const batch = await broker.read(stream, group, 'worker-1', { count: 10, blockMs: 1000 });
          received.push(...batch);
          await broker.ack(
            stream,
            group,
            batch.map((m) => m.id),
          );
        } catch (error) {
          errors.push(error);
          if (error instanceof BrokerClosedError) break;
        }
      }
    })();

    try {
      await broker.publish({ stream, data: '{"n":"before"}' });
      await eventually(() => received.some((m) => m.data === '{"n":"before"}'), {
        what: 'the first message',
      });
      await eventually(async () => (await blockedReaders(server)) > 0, {
        what: 'the consumer blocking in XREADGROUP',
      });

      await server.shutdown();
      await server.start();
      const backAt = Date.now();

      await broker.publish({ stream, data: '{"n":"after"}' });
      await eventually(() => received.some((m) => m.data === '{"n":"after"}'), {
        timeoutMs: 5000,
        what: 'the message published after the restart',
      });
      expect(Date.now() - backAt).toBeLessThan(5000);

      const admin = new Redis(server.url());
      const groups = (await admin.xinfo('GROUPS', stream)) as unknown[][];
      admin.disconnect();
      expect(groups.map((g) => g[1])).toEqual([group]);
    } finally {
      running = false;
      // Every read is bounded (block time + watchdog grace), so the loop must end soon.
      await within(consumer, 5000, 'the consumer loop');
    }
    expect(errors.every((error) => error instanceof BrokerError)).toBe(true);
  }, 20_000);
});

/** How many clients of the server are inside a blocking XREADGROUP. */
async function blockedReaders(server: SpawnedRedis): Promise<number> {
  const admin = new Redis(server.url());
  try {
    const list = await admin.client('LIST');
    return String(list)
      .split('\n')
      .filter((line) => line.includes('cmd=xreadgroup') && line.includes('flags=b')).length;
  } finally {
    admin.disconnect();
  }
}
