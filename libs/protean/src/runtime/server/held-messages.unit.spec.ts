import { Logger } from '@nestjs/common';
import { InlineBroker } from '../../adapters/memory/inline-broker/inline.broker.js';
import { HeldMessages } from './held-messages.js';
import { ManualClock } from '../../../../../test/support/manual-clock.js';

describe('HeldMessages', () => {
  const clock = new ManualClock();
  const broker = new InlineBroker('default', { maxPayloadBytes: 1024, maxStreamLength: 0 }, clock);
  afterAll(() => broker.close());

  it('keeps a message held past min_idle_ms from being taken over, counting no delivery', async () => {
    await broker.ensureGroup('s', 'G');
    await broker.publishBatch([1, 2].map((n) => ({ stream: 's', data: String(n) })));
    const [held, dropped] = await broker.read('s', 'G', 'worker', { count: 10, blockMs: 0 });
    const messages = new HeldMessages(broker, 's', 'G', 'worker', 300, new Logger('test'), clock);
    messages.delivered(held.id);
    messages.start();
    try {
      await clock.advance(700);
      const taken = await broker.reclaim('s', 'G', 'other', { minIdleMs: 300, count: 10 });
      expect(taken.map((message) => message.id)).toEqual([dropped.id]);
      expect(await broker.deliveryCount('s', 'G', held.id)).toBe(1);
    } finally {
      messages.stop();
    }
  });
});
