import type { ReceivedMessage } from '../../ports/broker/broker.port.js';
import { OversizedMessageError } from '../../core/messages/oversized-message.error.js';
import type { MessageProcessor } from './message-processor.js';
import { isPermanentFailure } from './failure-classification.js';
import { SizeLimitedMessageProcessor } from './size-limited-message-processor.js';

describe('SizeLimitedMessageProcessor', () => {
  const decoded: string[] = [];
  const inner: MessageProcessor = {
    group: 'Handler',
    stream: 'bookshelf::order',
    decode: (message) => {
      decoded.push(message.id);
      return { key: undefined, run: () => Promise.resolve() };
    },
  };
  const limited = new SizeLimitedMessageProcessor(inner, 1024, 'default');
  const message = (id: string, data: string | undefined): ReceivedMessage => ({
    id,
    stream: 'bookshelf::order',
    data,
    deliveryCount: 1,
  });

  beforeEach(() => (decoded.length = 0));

  it('is the inner processor for its group and stream', () => {
    expect([limited.group, limited.stream]).toEqual(['Handler', 'bookshelf::order']);
  });

  it('passes messages up to the limit, counted in UTF-8 bytes, to the inner processor', () => {
    expect(limited.decode(message('1-0', 'x'.repeat(1024)))).toBeDefined();
    expect(limited.decode(message('2-0', 'é'.repeat(512)))).toBeDefined(); // 1024 bytes
    expect(limited.decode(message('3-0', undefined))).toBeDefined();
    expect(decoded).toEqual(['1-0', '2-0', '3-0']);
  });

  it('refuses a larger one before parsing, as a permanent failure naming size, limit and key', () => {
    for (const data of ['x'.repeat(1025), 'é'.repeat(513)]) {
      let thrown: unknown;
      try {
        limited.decode(message('4-0', data));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(OversizedMessageError);
      expect(isPermanentFailure(thrown)).toBe(true);
      expect((thrown as Error).message).toBe(
        `Message is ${Buffer.byteLength(data)} bytes, over the 1024-byte limit of broker ` +
          `"default" (brokers.default.max_payload_bytes); it was not parsed`,
      );
    }
    expect(decoded).toEqual([]);
  });
});
