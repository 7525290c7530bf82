import { type StreamBroker, AmbiguousDeadLetterIdError } from 'nestjs-protean';
import { Redis } from 'ioredis';
import { redisBroker } from '../../support/redis-broker.js';
import { SpawnedRedis } from '../../support/spawned-redis.js';

/*
 * Dead letters across every stream (SCAN for `*:dlq`). On a private redis-server, because
 * listing and purging "all" on the shared one would touch other people's streams.
 */
describe('redis: dead letters across streams', () => {
  let server: SpawnedRedis;
  let broker: StreamBroker;
  let raw: Redis;
  const provenance = (originalId: string) => ({
    originalId,
    group: 'Handler',
    consumer: 'worker-1',
    error: 'Error: boom\n    at handler',
    attempts: 3,
    failedAt: '2025-01-01T00:00:00.000Z',
  });

  beforeAll(async () => {
    server = await SpawnedRedis.start();
    broker = redisBroker(server.url());
    raw = new Redis(server.url());
  }, 15_000);

  afterAll(async () => {
    raw.disconnect();
    await broker.close();
    await server.stop();
  });

  it('stores the original data and its provenance as fields of <stream>:dlq', async () => {
    const id = await broker.deadLetter('bookshelf::order', '{"n":1}', provenance('5-0'));
    const [[storedId, fields]] = await raw.xrange('bookshelf::order:dlq', '-', '+');
    expect(storedId).toBe(id);
    expect(fields).toEqual([
      'data', '{"n":1}',
      'stream', 'bookshelf::order',
      'originalId', '5-0',
      'group', 'Handler',
      'consumer', 'worker-1',
      'error', 'Error: boom\n    at handler',
      'attempts', '3',
      'failedAt', '2025-01-01T00:00:00.000Z',
    ]); // prettier-ignore
  });

  it('lists, inspects and purges dead letters of every stream', async () => {
    const a = await broker.deadLetter('bookshelf::book', '{"n":2}', provenance('6-0'));
    // An id of its own, so that looking it up without the stream is unambiguous.
    const b = (await raw.xadd('external-orders:dlq', '9999999999999-7', 'data', 'not json'))!;
    await raw.set('unrelated:dlq', 'a string, not a stream');

    const all = await broker.listDeadLetters();
    expect(all.map((l) => l.stream).sort()).toEqual([
      'bookshelf::book',
      'bookshelf::order',
      'external-orders',
    ]);
    expect(await broker.inspectDeadLetter(b)).toMatchObject({
      stream: 'external-orders',
      data: 'not json',
    });
    expect(await broker.inspectDeadLetter(a, 'external-orders')).toBeUndefined();
    expect(await broker.inspectDeadLetter(a, 'bookshelf::book')).toMatchObject({ data: '{"n":2}' });

    expect(await broker.purgeDeadLetters()).toBe(3);
    expect(await broker.listDeadLetters()).toEqual([]);
    expect(await raw.get('unrelated:dlq')).toBe('a string, not a stream');
  });

  it('refuses an id found in several DLQs unless the stream is named', async () => {
    await raw.xadd('first:dlq', '5-5', 'data', '"one"', 'stream', 'first');
    await raw.xadd('second:dlq', '5-5', 'data', '"two"', 'stream', 'second');
    await expect(broker.inspectDeadLetter('5-5')).rejects.toThrow(AmbiguousDeadLetterIdError);
    await expect(broker.replayDeadLetter('5-5')).rejects.toThrow(
      'Dead letter 5-5 exists in several DLQs ("first", "second"); name the stream',
    );
    expect(await broker.inspectDeadLetter('5-5', 'second')).toMatchObject({ data: '"two"' });
    expect(await broker.replayDeadLetter('5-5', 'first')).toBe(true);
    expect((await raw.xrange('first', '-', '+'))[0][1]).toEqual(['data', '"one"']);
    expect(await broker.inspectDeadLetter('5-5')).toMatchObject({ stream: 'second' });
  });

  it('lists oldest first by id, not by text ("5-10" after "5-2")', async () => {
    await raw.xadd('ordered:dlq', '5-2', 'data', '"2"', 'stream', 'ordered');
    await raw.xadd('ordered:dlq', '5-10', 'data', '"10"', 'stream', 'ordered');
    expect((await broker.listDeadLetters('ordered')).map((letter) => letter.id)).toEqual([
      '5-2',
      '5-10',
    ]);
    await broker.purgeDeadLetters('ordered');
  });

  it('reads an empty stream name as a stream of that name, never as every stream', async () => {
    await broker.deadLetter('kept', '{}', provenance('7-0'));
    expect(await broker.listDeadLetters('')).toEqual([]);
    expect(await broker.purgeDeadLetters('')).toBe(0);
    expect(await broker.listDeadLetters('kept')).toHaveLength(1);
    expect(await broker.purgeDeadLetters('kept')).toBe(1);
  });

  it("does not find an id beyond Redis's 64-bit range (rather than a Redis syntax error)", async () => {
    const id = await broker.deadLetter('kept', '{}', provenance('8-0'));
    expect(await broker.inspectDeadLetter('99999999999999999999999-0')).toBeUndefined();
    expect(await broker.inspectDeadLetter('18446744073709551616-0', 'kept')).toBeUndefined();
    expect(await broker.replayDeadLetter('0-18446744073709551616', 'kept')).toBe(false);
    expect(await broker.inspectDeadLetter(id, 'kept')).toMatchObject({ data: '{}' });
    await broker.purgeDeadLetters('kept');
  });
});
