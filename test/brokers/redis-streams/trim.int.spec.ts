import type { StreamBroker } from 'nestjs-protean';
import { compareStreamIds, uniqueName } from 'nestjs-protean/testing';
import { redisBroker } from '../../support/redis-broker.js';
import { deleteStreams, rawRedis, REDIS_URL } from '../../support/redis.js';

/*
 * Trimming (max_stream_length) against what Redis really holds: the slowest group decides
 * how far the stream may be cut, whether it is behind on acknowledging or on reading.
 */
describe('redis: trimming never drops what a group still needs', () => {
  const raw = rawRedis();
  const streams: string[] = [];
  let broker: StreamBroker;
  const newStream = () => {
    const stream = uniqueName('trim');
    streams.push(stream);
    return stream;
  };
  const publish = (stream: string, count: number) =>
    broker.publishBatch(Array.from({ length: count }, (_, n) => ({ stream, data: `{"n":${n}}` })));

  beforeAll(() => {
    broker = redisBroker(REDIS_URL, { max_stream_length: 20 });
  });

  afterAll(async () => {
    await broker.close();
    await deleteStreams(raw, streams);
    raw.disconnect();
  });

  it('stops at the oldest entry the slowest group has not acknowledged', async () => {
    const stream = newStream();
    await broker.ensureGroup(stream, 'Fast');
    await broker.ensureGroup(stream, 'Slow');
    const ids = await publish(stream, 400);
    const fast = await broker.read(stream, 'Fast', 'c', { count: 400, blockMs: 0 });
    await broker.ack(
      stream,
      'Fast',
      fast.map((m) => m.id),
    );
    const slow = await broker.read(stream, 'Slow', 'c', { count: 400, blockMs: 0 });
    await broker.ack(
      stream,
      'Slow',
      slow.slice(0, 250).map((m) => m.id),
    );

    expect(await broker.trim(stream)).toBeGreaterThan(0);
    const kept = (await raw.xrange(stream, '-', '+')).map(([id]) => id);
    expect(kept).toEqual(expect.arrayContaining(ids.slice(250)));
    expect(kept.length).toBeLessThan(400);
    const [oldestPending] = (await raw.xpending(stream, 'Slow', '-', '+', 1)) as [string][];
    expect(compareStreamIds(kept[0], oldestPending[0])).toBeLessThanOrEqual(0);
  });

  it('stops at the first entry a group has not been delivered yet', async () => {
    const stream = newStream();
    await broker.ensureGroup(stream, 'Reader');
    const ids = await publish(stream, 400);
    const read = await broker.read(stream, 'Reader', 'c', { count: 300, blockMs: 0 });
    await broker.ack(
      stream,
      'Reader',
      read.map((m) => m.id),
    );

    expect(await broker.trim(stream)).toBeGreaterThan(0);
    const kept = (await raw.xrange(stream, '-', '+')).map(([id]) => id);
    expect(kept).toEqual(expect.arrayContaining(ids.slice(300)));
  });

  it('keeps about max_stream_length once everything is acknowledged', async () => {
    const stream = newStream();
    await broker.ensureGroup(stream, 'G');
    await publish(stream, 1000);
    const read = await broker.read(stream, 'G', 'c', { count: 1000, blockMs: 0 });
    await broker.ack(
      stream,
      'G',
      read.map((m) => m.id),
    );
    await broker.trim(stream);
    // Approximate trimming removes whole nodes of at most 100 entries.
    const length = await raw.xlen(stream);
    expect(length).toBeGreaterThanOrEqual(20);
    expect(length).toBeLessThanOrEqual(20 + 100);
  });

  it('never trims a dead-letter stream', async () => {
    const stream = newStream();
    for (let n = 0; n < 150; n++) {
      await broker.deadLetter(stream, `{"n":${n}}`, {
        originalId: `${n + 1}-0`,
        group: 'G',
        consumer: 'c',
        error: 'boom',
        attempts: 3,
        failedAt: new Date().toISOString(),
      });
    }
    expect(await broker.trim(`${stream}:dlq`)).toBe(0);
    expect(await raw.xlen(`${stream}:dlq`)).toBe(150);
  });
});
