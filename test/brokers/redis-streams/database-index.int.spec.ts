import { type Broker, BrokerConnectionError } from 'nestjs-protean';
import { Redis } from 'ioredis';
import { within } from 'nestjs-protean/testing';
import { redisBroker } from '../../support/redis-broker.js';
import { SpawnedRedis } from '../../support/spawned-redis.js';

/*
 * Issue 12 §4: a URI naming a database index the server lacks. ioredis reports the refused
 * SELECT and goes on in database 0 — another environment's keys. The broker must refuse,
 * naming the broker and the index without the password, and write nothing anywhere; a
 * reconnection to a server that lost the database must not fall back to database 0 either.
 */
const PASSWORD = 'Db-Index-Pa55';

describe('redis: the database index of the URI', () => {
  let server: SpawnedRedis;
  const brokers: Broker[] = [];
  const open = (index: number) => {
    const broker = redisBroker(`${server.url(`:${PASSWORD}`)}/${index}`, {
      connect_timeout_ms: 1000,
      command_timeout_ms: 1000,
    });
    brokers.push(broker);
    return broker;
  };
  const keysIn = async (index: number) => {
    const admin = new Redis(`${server.url(`:${PASSWORD}`)}/${index}`);
    try {
      return await admin.dbsize();
    } finally {
      admin.disconnect();
    }
  };

  beforeEach(async () => {
    server = await SpawnedRedis.start({ args: ['--databases', '4', '--requirepass', PASSWORD] });
  }, 15_000);

  afterEach(async () => {
    await Promise.all(brokers.splice(0).map((broker) => broker.close()));
    await server.stop();
  }, 15_000);

  it('refuses an index the server lacks, naming the broker and the index, and writes nothing', async () => {
    const broker = open(9);
    const ping = within(broker.ping(), 4000, 'ping of database 9');
    await expect(ping).rejects.toThrow(BrokerConnectionError);
    await expect(ping).rejects.toThrow(
      /^Broker "default" \(redis\) at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/9 cannot use database 9: ERR DB index is out of range; set brokers\.default\.uri/,
    );
    await expect(broker.publish({ stream: 'orders', data: '{}' })).rejects.toThrow(
      /cannot use database 9/,
    );
    await expect(broker.ensureGroup('orders', 'g')).rejects.toThrow(/cannot use database 9/);
    await expect(ping).rejects.not.toThrow(PASSWORD);
    expect(await keysIn(0)).toBe(0);
  }, 15_000);

  it('does not fall back to database 0 when a reconnection finds the database gone', async () => {
    const broker = open(3);
    await broker.publish({ stream: 'orders', data: '{"n":1}' });
    expect(await keysIn(3)).toBe(1);
    await server.stop();
    await server.start(['--databases', '1', '--requirepass', PASSWORD]);
    const publish = within(
      broker.publish({ stream: 'orders', data: '{"n":2}' }),
      4000,
      'publish after the restart',
    );
    await expect(publish).rejects.toThrow(/cannot use database 3/);
    expect(await keysIn(0)).toBe(0);
  }, 20_000);
});
