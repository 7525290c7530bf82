import { type Broker, createBroker, BrokerConnectionError } from 'nestjs-protean';
import { Redis } from 'ioredis';
import { captureLogs } from '../../support/capture-logger.js';
import { within, readUntil } from 'nestjs-protean/testing';
import { redisBroker } from '../../support/redis-broker.js';
import { freePort } from '../../support/processes.js';
import { SpawnedRedis } from '../../support/spawned-redis.js';

/*
 * Acceptance 5 and the URI forms: `redis://:password@`, `redis://user:password@` (ACL), and a
 * refused password, which must fail fast, name the broker and never show the password, in the
 * error or in any log line. A private redis-server carries the password and the ACL user.
 */
const ADMIN_PASSWORD = 'Admin-Pa55-7f3c';
const APP_PASSWORD = 'App-Pa55-91d2';
const WRONG_PASSWORD = 'Wrong-Pa55-c0ffee';

describe('redis: credentials', () => {
  let server: SpawnedRedis;
  const brokers: Broker[] = [];
  const open = (uri: string, provider: 'redis' | 'redis_pubsub' = 'redis') => {
    const broker = redisBroker(uri, { provider, connect_timeout_ms: 2000 }, 'events');
    brokers.push(broker);
    return broker;
  };

  beforeAll(async () => {
    server = await SpawnedRedis.start({ args: ['--requirepass', ADMIN_PASSWORD] });
    const admin = new Redis(server.url(`:${ADMIN_PASSWORD}`));
    await admin.acl('SETUSER', 'app', 'on', `>${APP_PASSWORD}`, '~*', '&*', '+@all');
    admin.disconnect();
  }, 15_000);

  afterAll(async () => {
    await Promise.all(brokers.map((broker) => broker.close()));
    await server.stop();
  }, 15_000);

  it('connects with the default user’s password', async () => {
    const broker = open(server.url(`:${ADMIN_PASSWORD}`));
    await broker.ping();
    await broker.publish({ stream: 'password', data: '{}' });
    expect(await readUntil(broker, 'password', 'G', 'c', 1)).toHaveLength(1);
  }, 15_000);

  it('connects as an ACL user', async () => {
    const broker = open(server.url(`app:${APP_PASSWORD}`));
    await broker.ping();
    await broker.publish({ stream: 'acl', data: '{}' });
    expect(await readUntil(broker, 'acl', 'G', 'c', 1)).toHaveLength(1);
  }, 15_000);

  it.each([
    ['the default user', `:${WRONG_PASSWORD}`, /redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: WRONGPASS/],
    ['an ACL user', `app:${WRONG_PASSWORD}`, /redis:\/\/app:\*\*\*@127\.0\.0\.1:\d+: WRONGPASS/],
  ])(
    'fails fast on a wrong password for %s, naming the broker and hiding the password',
    async (_who, credentials, shown) => {
      const logs = captureLogs();
      try {
        const broker = open(server.url(credentials));
        const failure = await within(
          broker.ping().then(
            () => undefined,
            (error: unknown) => error,
          ),
          3000,
          'ping with a wrong password',
        );
        expect(failure).toBeInstanceOf(BrokerConnectionError);
        const { message } = failure as Error;
        expect(message).toMatch(/^Broker "events" \(redis\) could not connect to /);
        expect(message).toMatch(shown);
        expect(message).not.toContain(WRONG_PASSWORD);

        // Every later operation fails the same way at once instead of retrying forever.
        const again: Promise<unknown>[] = [
          broker.publish({ stream: 's', data: '{}' }),
          broker.read('s', 'G', 'c', { count: 1, blockMs: 1000 }),
          broker.ack('s', 'G', ['1-0']),
        ];
        for (const attempt of again) {
          await expect(within(attempt, 3000, 'an operation after a refused login')).rejects.toThrow(
            message,
          );
        }
        const printed = logs.lines.join('\n');
        expect(printed).toContain('WRONGPASS');
        expect(printed).not.toContain(WRONG_PASSWORD);
      } finally {
        logs.restore();
      }
    },
    15_000,
  );

  it('fails fast without a password where one is required', async () => {
    const broker = open(server.url());
    await expect(within(broker.ping(), 3000, 'ping without a password')).rejects.toThrow(
      /^Broker "events" \(redis\) could not connect to redis:\/\/127\.0\.0\.1:\d+: .*NOAUTH/,
    );
  }, 15_000);

  it('fails fast on a wrong password with redis_pubsub too', async () => {
    const broker = open(server.url(`:${WRONG_PASSWORD}`), 'redis_pubsub');
    const failure = within(broker.ensureGroup('news', 'G'), 3000, 'subscribing');
    await expect(failure).rejects.toThrow(/^Broker "events" \(redis_pubsub\) could not connect/);
    await expect(failure).rejects.not.toThrow(WRONG_PASSWORD);
  }, 15_000);

  it('fails within the command timeout when nothing listens, saying why', async () => {
    const port = await freePort();
    const broker = createBroker('events', {
      provider: 'redis',
      uri: `redis://:${WRONG_PASSWORD}@127.0.0.1:${port}`,
      max_payload_bytes: 1024 * 1024,
      max_stream_length: 0,
      command_timeout_ms: 500,
    });
    brokers.push(broker);
    const failure = within(broker.ping(), 3000, 'ping with no server');
    await expect(failure).rejects.toThrow(BrokerConnectionError);
    await expect(failure).rejects.toThrow(
      /^Broker "events" \(redis\) at redis:\/\/:\*\*\*@.*ECONNREFUSED/,
    );
    await expect(failure).rejects.not.toThrow(WRONG_PASSWORD);
  }, 15_000);
});
