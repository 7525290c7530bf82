import type { Broker, ReceivedMessage } from '../brokers/broker.port.js';
import type { MessageProcessor } from './message-processor.js';
import { StreamSubscription } from './stream-subscription.js';
import { DEFAULT_SUBSCRIPTION_SETTINGS } from './subscription-profiles.js';

const entry = (n: number): ReceivedMessage => ({
  id: `${n}-0`,
  stream: 's',
  data: `{"n":${n}}`,
  deliveryCount: 2,
});

describe('StreamSubscription', () => {
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
    );

    await subscription.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(readCounts).toEqual([]); // the buffer is full: no read, and above all no read of 0
      release();
      await readAfterRoom;
    } finally {
      release();
      subscription.stopReading();
      await subscription.drain(Date.now() + 1000);
      await subscription.stopped();
    }
    expect(readCounts.length).toBeGreaterThan(0);
    expect(Math.min(...readCounts)).toBeGreaterThanOrEqual(1);
  });
});
