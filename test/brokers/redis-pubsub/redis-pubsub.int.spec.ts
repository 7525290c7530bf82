import { type Broker, createBroker, type BrokerConfig } from 'nestjs-protean';
import { eventually, readUntil, uniqueName } from 'nestjs-protean/testing';
import { rawRedis, REDIS_URL } from '../../support/redis.js';

/* What redis_pubsub documents beyond the shared suite: at-most-once, local groups, bounds. */
describe('redis_pubsub: fire-and-forget delivery', () => {
  const raw = rawRedis();
  const brokers: Broker[] = [];
  const open = (overrides: Partial<BrokerConfig> = {}) => {
    const broker = createBroker('default', {
      provider: 'redis_pubsub',
      uri: REDIS_URL,
      max_payload_bytes: 1024 * 1024,
      max_stream_length: 0,
      ...overrides,
    });
    brokers.push(broker);
    return broker;
  };

  afterAll(async () => {
    await Promise.all(brokers.map((broker) => broker.close()));
    raw.disconnect();
  });

  it('says it is neither durable nor acknowledged', () => {
    expect(open().capabilities).toEqual({
      durable: false,
      consumerGroups: false,
      acknowledgements: false,
      blockingRead: true,
      deadLetters: false,
      replay: false,
      ordering: true,
      workerRegistry: false,
    });
  });

  it('loses what is published before anyone subscribes', async () => {
    const broker = open();
    const channel = uniqueName('pubsub');
    await broker.publish({ stream: channel, data: '{"n":"early"}' });
    await broker.ensureGroup(channel, 'G', '0');
    await broker.publish({ stream: channel, data: '{"n":"late"}' });
    const received = await readUntil(broker, channel, 'G', 'c', 1);
    expect(received.map((m) => m.data)).toEqual(['{"n":"late"}']);
    expect(await broker.read(channel, 'G', 'c', { count: 10, blockMs: 100 })).toEqual([]);
  });

  it('receives what an external producer PUBLISHes, as raw text', async () => {
    const broker = open();
    const channel = uniqueName('pubsub');
    await broker.ensureGroup(channel, 'G');
    await raw.publish(channel, 'plain text, not JSON');
    const [message] = await readUntil(broker, channel, 'G', 'c', 1);
    expect(message.data).toBe('plain text, not JSON');
  });

  it('delivers every message to every subscribed process and every local group', async () => {
    const [one, two] = [open(), open()];
    const channel = uniqueName('pubsub');
    await one.ensureGroup(channel, 'A');
    await one.ensureGroup(channel, 'B');
    await two.ensureGroup(channel, 'A');
    await one.publishBatch([1, 2].map((n) => ({ stream: channel, data: `{"n":${n}}` })));
    for (const [broker, group] of [
      [one, 'A'],
      [one, 'B'],
      [two, 'A'],
    ] as const) {
      const received = await readUntil(broker, channel, group, 'c', 2);
      expect(received.map((m) => m.data)).toEqual(['{"n":1}', '{"n":2}']);
    }
  });

  it('keeps at most pubsub_buffer_size unread messages, dropping the oldest', async () => {
    const broker = open({ pubsub_buffer_size: 3 });
    const channel = uniqueName('pubsub');
    await broker.ensureGroup(channel, 'G');
    await broker.ensureGroup(channel, 'Probe');
    await broker.publishBatch([1, 2, 3, 4, 5].map((n) => ({ stream: channel, data: `${n}` })));
    await raw.publish(channel, 'marker');
    // Both groups are fed by the same arrival, in order: once Probe has the marker, G has all.
    await eventually(async () => {
      const batch = await broker.read(channel, 'Probe', 'c', { count: 10, blockMs: 200 });
      return batch.some((m) => m.data === 'marker');
    });
    expect((await broker.streamInfo(channel)).groups.find((g) => g.name === 'G')?.lag).toBe(3);
    const received = await broker.read(channel, 'G', 'c', { count: 10, blockMs: 0 });
    expect(received.map((m) => m.data)).toEqual(['4', '5', 'marker']);
  });
});
