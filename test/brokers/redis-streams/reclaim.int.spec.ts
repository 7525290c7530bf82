import type { StreamBroker } from 'nestjs-protean';
import { eventually, uniqueName } from 'nestjs-protean/testing';
import { redisBroker } from '../../support/redis-broker.js';
import { deleteStreams, rawRedis, REDIS_URL } from '../../support/redis.js';

/*
 * Acceptance 2: a consumer dies holding ten unacknowledged messages; another consumer of the
 * group, in another process (another broker instance), takes all ten over once they are idle.
 */
describe('redis: reclaiming a dead consumer’s messages', () => {
  const raw = rawRedis();
  const stream = uniqueName('reclaim');
  const brokers: StreamBroker[] = [];
  const open = () => {
    const broker = redisBroker(REDIS_URL);
    brokers.push(broker);
    return broker;
  };

  afterAll(async () => {
    await Promise.all(brokers.map((broker) => broker.close()));
    await deleteStreams(raw, [stream]);
    raw.disconnect();
  });

  it('hands all 10 to the second consumer after the idle threshold, delivered twice', async () => {
    const dying = open();
    await dying.ensureGroup(stream, 'Handler');
    const ids = await dying.publishBatch(
      Array.from({ length: 10 }, (_, n) => ({ stream, data: JSON.stringify({ n }) })),
    );
    const taken = await dying.read(stream, 'Handler', 'worker-a', { count: 10, blockMs: 1000 });
    expect(taken.map((m) => m.id)).toEqual(ids);
    await dying.close(); // dies without acknowledging

    const survivor = open();
    const early = await survivor.reclaim(stream, 'Handler', 'worker-b', {
      minIdleMs: 60_000,
      count: 100,
    });
    expect(early).toEqual([]);

    const reclaimed = await eventually(
      async () => {
        const batch = await survivor.reclaim(stream, 'Handler', 'worker-b', {
          minIdleMs: 300,
          count: 100,
        });
        return batch.length ? batch : undefined;
      },
      { what: 'reclaiming the idle messages' },
    );
    expect(reclaimed.map((m) => m.id)).toEqual(ids);
    expect(reclaimed.map((m) => m.data)).toEqual(taken.map((m) => m.data));
    expect(reclaimed.every((m) => m.deliveryCount === 2)).toBe(true);

    // The count lives in Redis's pending list, so a freshly started process sees it too.
    const restarted = open();
    for (const id of ids) expect(await restarted.deliveryCount(stream, 'Handler', id)).toBe(2);
    const owners = (await raw.xpending(stream, 'Handler', '-', '+', 100)) as [string, string][];
    expect(owners.every(([, consumer]) => consumer === 'worker-b')).toBe(true);

    expect(await survivor.ack(stream, 'Handler', ids)).toBe(10);
    expect((await survivor.streamInfo(stream)).groups[0].pending).toBe(0);
  });
});
