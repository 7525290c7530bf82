import { InlineBroker } from './inline.broker.js';
import { ManualClock } from '../../../../../../test/support/manual-clock.js';

describe('InlineBroker on a controlled clock', () => {
  const clock = new ManualClock(1_000);
  const broker = new InlineBroker(
    'default',
    { maxPayloadBytes: 1024 * 1024, maxStreamLength: 0 },
    clock,
  );

  afterAll(() => broker.close());

  it('reclaims only after the idle time, raising the delivery count each time', async () => {
    await broker.ensureGroup('s', 'G');
    const [id] = await broker.publishBatch([{ stream: 's', data: '{}' }]);
    await broker.read('s', 'G', 'a', { count: 1, blockMs: 0 });

    await clock.advance(999);
    expect(await broker.reclaim('s', 'G', 'b', { minIdleMs: 1000, count: 10 })).toEqual([]);
    await clock.advance(1);
    const [second] = await broker.reclaim('s', 'G', 'b', { minIdleMs: 1000, count: 10 });
    expect(second).toMatchObject({ id, deliveryCount: 2 });

    await clock.advance(1000);
    const [third] = await broker.reclaim('s', 'G', 'c', { minIdleMs: 1000, count: 10 });
    expect(third.deliveryCount).toBe(3);
    expect(await broker.deliveryCount('s', 'G', id)).toBe(3);
    expect((await broker.streamInfo('s')).groups[0].consumers).toBe(3);
  });

  it('blocks a read until an append, or for its block time on the clock', async () => {
    await broker.ensureGroup('b', 'G');
    const empty = broker.read('b', 'G', 'a', { count: 1, blockMs: 5_000 });
    await clock.advance(5_000);
    expect(await empty).toEqual([]);
    const woken = broker.read('b', 'G', 'a', { count: 1, blockMs: 60_000 });
    await clock.advance(1);
    await broker.publish({ stream: 'b', data: '{}' });
    expect(await woken).toHaveLength(1);
  });

  it('dead-letters a message and replays it onto its stream', async () => {
    await broker.ensureGroup('d', 'G');
    await broker.publish({ stream: 'd', data: '{}' });
    const [message] = await broker.read('d', 'G', 'a', { count: 1, blockMs: 0 });
    const dlqId = await broker.deadLetter('d', message.data, {
      originalId: message.id,
      group: 'G',
      consumer: 'a',
      error: 'boom',
      attempts: 1,
      failedAt: new Date(clock.now()).toISOString(),
    });
    expect(await broker.listDeadLetters('d')).toHaveLength(1);
    expect(await broker.replayDeadLetter(dlqId, 'd')).toBe(true);
    expect(await broker.listDeadLetters('d')).toEqual([]);
    const [replayed] = await broker.read('d', 'G', 'a', { count: 1, blockMs: 0 });
    expect(replayed.data).toBe(message.data);
    expect(replayed.id).not.toBe(message.id);
  });

  it('reads an empty stream name as a stream of that name, never as every stream', async () => {
    await broker.deadLetter('kept', '{}', {
      originalId: '1-0',
      group: 'G',
      consumer: 'a',
      error: 'boom',
      attempts: 1,
      failedAt: new Date(clock.now()).toISOString(),
    });
    expect(await broker.listDeadLetters('')).toEqual([]);
    expect(await broker.purgeDeadLetters('')).toBe(0);
    expect(await broker.listDeadLetters('kept')).toHaveLength(1);
  });

  it('refuses unbounded or empty reads', async () => {
    await expect(broker.read('s', 'G', 'a', { count: 0, blockMs: 0 })).rejects.toThrow(
      'read count must be >= 1',
    );
    await expect(broker.read('s', 'G', 'a', { count: 1, blockMs: Infinity })).rejects.toThrow(
      'blockMs must be a finite number',
    );
  });
});
