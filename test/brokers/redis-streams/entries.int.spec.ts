import { type StreamBroker, PayloadTooLargeError } from 'nestjs-protean';
import { readUntil, uniqueName } from 'nestjs-protean/testing';
import { redisBroker } from '../../support/redis-broker.js';
import { deleteStreams, rawRedis, REDIS_URL } from '../../support/redis.js';

/*
 * Acceptance 4: what goes into a stream and what comes out. Oversized messages never reach
 * Redis; entries written by hand come back to the reader as they are, never as an exception.
 */
describe('redis: entries on the wire', () => {
  const raw = rawRedis();
  const streams: string[] = [];
  let broker: StreamBroker;
  const newStream = () => {
    const stream = uniqueName('entries');
    streams.push(stream);
    return stream;
  };

  beforeAll(() => {
    broker = redisBroker(REDIS_URL, { max_payload_bytes: 1024 });
  });

  afterAll(async () => {
    await broker.close();
    await deleteStreams(raw, streams);
    raw.disconnect();
  });

  it('stores a message as one entry with exactly one field, data', async () => {
    const stream = newStream();
    const id = await broker.publish({ stream, data: '{"title":"Dune"}' });
    expect(await raw.xrange(stream, '-', '+')).toEqual([[id, ['data', '{"title":"Dune"}']]]);
  });

  it('refuses a message over max_payload_bytes at publish, writing nothing', async () => {
    const stream = newStream();
    const oversized = JSON.stringify({ blob: 'é'.repeat(600) }); // 1211 bytes, 611 characters
    const attempt = broker.publishBatch([
      { stream, data: '{"ok":true}' },
      { stream, data: oversized },
    ]);
    await expect(attempt).rejects.toThrow(PayloadTooLargeError);
    await expect(attempt).rejects.toThrow(
      `Message for stream "${stream}" is 1211 bytes, over the 1024-byte limit of broker "default"`,
    );
    expect(await raw.exists(stream)).toBe(0);
  });

  it('hands hand-written entries to the reader as they are: raw text, or no data', async () => {
    const stream = newStream();
    await broker.ensureGroup(stream, 'Subscriber');
    await raw.xadd(stream, '*', 'data', 'not json {');
    await raw.xadd(stream, '*', 'customer', 'Ann', 'items', '[]');
    await raw.xadd(stream, '*', 'data', '{"customer":"Bob","items":[]}');

    const received = await readUntil(broker, stream, 'Subscriber', 'c', 3);
    expect(received.map((m) => m.data)).toEqual([
      'not json {',
      undefined,
      '{"customer":"Bob","items":[]}',
    ]);
    // The reader tells the undeserializable ones apart and dead-letters them itself.
    expect(() => {
      JSON.parse(received[0].data!);
    }).toThrow(SyntaxError);
    const dlqId = await broker.deadLetter(stream, received[1].data, {
      originalId: received[1].id,
      group: 'Subscriber',
      consumer: 'c',
      error: 'entry has no data field',
      attempts: 1,
      failedAt: new Date().toISOString(),
    });
    const letter = await broker.inspectDeadLetter(dlqId, stream);
    expect(letter?.data).toBeUndefined();
    expect(letter?.provenance.originalId).toBe(received[1].id);
  });
});
