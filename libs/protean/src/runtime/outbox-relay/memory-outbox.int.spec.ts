import type { TestingModule } from '@nestjs/testing';
import { Bump, Counters, startOutboxApp } from '../../../../../test/support/counter-domain.js';
import { PROCESS_POLL } from '../../../../../test/support/processes.js';
import { RecordingBroker } from '../../../../../test/support/recording-broker.js';
import { CommandBus } from '../../application/command-bus.js';
import { OUTBOX_STORE } from '../../core/protean.tokens.js';
import { OutboxProcessor } from './outbox-processor.js';
import type { OutboxStore } from '../../ports/outbox/outbox-store.port.js';
import { eventually } from '../../operations/testing/eventually.js';

describe('outbox on the memory database', () => {
  let app: TestingModule;
  let broker: RecordingBroker;

  beforeEach(async () => {
    broker = new RecordingBroker();
    app = await startOutboxApp({
      domain: 'mem',
      broker,
      relay: true,
      overrides: { outbox: { tick_interval: 1 } },
    });
  });

  afterEach(() => app.close());

  it('publishes committed events and commands, and nothing of a rolled-back unit of work', async () => {
    await expect(
      app.get(Counters).bump('c1', 1, () => {
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await app.get(Counters).bump('c2', 2);
    await app.get(CommandBus).process(Object.assign(new Bump(), { counterId: 'c2' }));

    await eventually(() => broker.published.length >= 3, {
      ...PROCESS_POLL,
      what: 'three published messages',
    });
    expect(broker.published.map((message) => message.stream)).toEqual([
      'mem::counter',
      'mem::counter',
      'mem::counter:command',
    ]);
    expect(
      broker.published.map((m) => (JSON.parse(m.data) as { payload: object }).payload),
    ).toEqual([{ counterId: 'c2', value: 1 }, { counterId: 'c2', value: 2 }, { counterId: 'c2' }]);
    // A row is marked published once the broker accepted it, a moment after.
    const store = app.get<OutboxStore>(OUTBOX_STORE);
    await eventually(async () => (await store.stats()).counts.published === 3, {
      ...PROCESS_POLL,
      what: 'three rows marked published',
    });
    await expect(store.stats()).resolves.toMatchObject({ counts: { published: 3, pending: 0 } });
  });

  it('wakes on commit in this process rather than at the next tick', async () => {
    // The memory store has no cross-process notifications: only the in-process wake-up acts.
    expect(app.get(OutboxProcessor).isRunning).toBe(true);
    const latencies: number[] = [];
    for (let n = 1; n <= 5; n++) {
      const committed = Date.now();
      await app.get(Counters).bump(`c${n}`);
      await eventually(() => broker.published.length >= n, {
        ...PROCESS_POLL,
        intervalMs: 2,
        what: `message ${n}`,
      });
      latencies.push(Date.now() - committed);
    }
    expect(Math.max(...latencies)).toBeLessThan(300);
  });
});
