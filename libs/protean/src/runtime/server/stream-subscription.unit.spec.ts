import type { Broker, ReceivedMessage } from '../../ports/broker/broker.port.js';
import type { MessageProcessor } from './message-processor.js';
import { ACK_LINGER_MS, StreamSubscription } from './stream-subscription.js';
import { DEFAULT_SUBSCRIPTION_SETTINGS } from '../../core/config/subscription-profiles.js';
import { ManualClock } from '../../../../../test/support/manual-clock.js';

/** A broker double: hands out the messages given to `deliver`, records every XACK call. */
class AckRecordingBroker {
  readonly capabilities = { acknowledgements: true };
  readonly ackCalls: string[][] = [];
  private inbox: ReceivedMessage[] = [];
  private wakeReader?: () => void;

  deliver(count: number, from = 0): void {
    for (let n = from; n < from + count; n++) {
      this.inbox.push({ id: `${n}-0`, stream: 's', data: '{}', deliveryCount: 1 });
    }
    this.wakeReader?.();
  }

  get acked(): string[] {
    return this.ackCalls.flat();
  }

  ensureGroup = () => Promise.resolve();
  reclaim = () => Promise.resolve([]);

  async read(_s: string, _g: string, _c: string, options: { count: number; blockMs: number }) {
    if (this.inbox.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(options.blockMs, 50));
        this.wakeReader = () => (clearTimeout(timer), resolve());
      });
    }
    return this.inbox.splice(0, options.count);
  }

  ack(_stream: string, _group: string, ids: readonly string[]): Promise<number> {
    this.ackCalls.push([...ids]);
    return Promise.resolve(ids.length);
  }
}

let handled = 0;

/** Handles every message on its own, one turn of the event loop apart, like a transaction each. */
const oneByOne: MessageProcessor = {
  group: 'g',
  stream: 's',
  decode: (message) => ({
    key: message.id,
    run: () => new Promise((resolve) => setImmediate(resolve)).then(() => void handled++),
  }),
};

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * The subscription runs on a manual clock, so the ack linger fires only when a test moves time:
 * how many acks share a call depends on the code, never on how loaded the machine is.
 */
function subscription(broker: AckRecordingBroker, messagesPerTick: number, clock: ManualClock) {
  return new StreamSubscription(
    broker as unknown as Broker,
    oneByOne,
    {
      ...DEFAULT_SUBSCRIPTION_SETTINGS,
      subscription_profile: null,
      messages_per_tick: messagesPerTick,
      concurrency: 1,
    },
    'c1',
    undefined,
    clock,
  );
}

describe('StreamSubscription acknowledgements', () => {
  beforeEach(() => (handled = 0));

  it('sends the acks of messages finished on different turns in one call, not one each', async () => {
    const broker = new AckRecordingBroker();
    const clock = new ManualClock();
    const consumer = subscription(broker, 100, clock);
    await consumer.start();
    broker.deliver(20);
    await until(() => handled === 20);
    expect(broker.ackCalls).toEqual([]); // every ack still lingers: no round trip per message
    await clock.advance(ACK_LINGER_MS);
    expect(broker.ackCalls).toHaveLength(1);
    expect(new Set(broker.acked).size).toBe(20);
    consumer.stopReading();
    await consumer.drain(clock.now() + 1000);
    await consumer.stopped();
    expect(broker.ackCalls).toHaveLength(1);
  });

  it('acknowledges a whole batch at once, without waiting for the linger', async () => {
    const broker = new AckRecordingBroker();
    const clock = new ManualClock();
    const consumer = subscription(broker, 5, clock);
    await consumer.start();
    broker.deliver(10);
    await until(() => broker.acked.length === 10); // the clock never moves: no linger fired
    consumer.stopReading();
    await consumer.drain(clock.now() + 1000);
    await consumer.stopped();
    expect(broker.ackCalls.map((call) => call.length)).toEqual([5, 5]);
  });

  it('flushes the acks still lingering when it drains', async () => {
    const broker = new AckRecordingBroker();
    const clock = new ManualClock();
    const consumer = subscription(broker, 100, clock);
    await consumer.start();
    broker.deliver(3);
    await until(() => handled === 3);
    expect(broker.ackCalls).toEqual([]);
    consumer.stopReading();
    await consumer.drain(clock.now() + 1000);
    await consumer.stopped();
    expect([...broker.acked].sort()).toEqual(['0-0', '1-0', '2-0']);
  });
});

const entry = (n: number): ReceivedMessage => ({
  id: `${n}-0`,
  stream: 's',
  data: `{"n":${n}}`,
  deliveryCount: 2,
});

describe('StreamSubscription after a take-over', () => {
  it('waits for room after a take-over filled its buffer, never reading 0 messages', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const readCounts: number[] = [];
    let firstRead!: () => void;
    const readAfterRoom = new Promise<void>((resolve) => (firstRead = resolve));
    // messages_per_tick 2, concurrency 1: at most 4 messages held.
    const taken = [1, 2, 3, 4].map(entry);
    const broker = {
      capabilities: { acknowledgements: true },
      ensureGroup: async () => undefined,
      reclaim: async () => taken.splice(0),
      read: async (_stream: string, _group: string, _consumer: string, { count }: any) => {
        readCounts.push(count);
        firstRead();
        await new Promise((resolve) => setTimeout(resolve, 20));
        return [];
      },
      ack: async () => 0,
    } as unknown as Broker;
    const processor: MessageProcessor = {
      group: 'G',
      stream: 's',
      decode: (message) => ({ key: message.id, run: () => gate }),
    };
    const clock = new ManualClock();
    const subscription = new StreamSubscription(
      broker,
      processor,
      {
        ...DEFAULT_SUBSCRIPTION_SETTINGS,
        subscription_profile: null,
        messages_per_tick: 2,
        concurrency: 1,
        blocking_timeout_ms: 10,
      },
      'consumer-1',
      undefined,
      clock,
    );

    await subscription.start();
    try {
      await clock.advance(10_000); // ten pauses for room
      expect(readCounts).toEqual([]); // the buffer is full: no read, and above all no read of 0
      release();
      await readAfterRoom;
    } finally {
      release();
      subscription.stopReading();
      await subscription.drain(clock.now() + 1000);
      await subscription.stopped();
    }
    expect(readCounts.length).toBeGreaterThan(0);
    expect(Math.min(...readCounts)).toBeGreaterThanOrEqual(1);
  });
});
