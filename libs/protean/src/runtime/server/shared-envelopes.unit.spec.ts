import { randomUUID } from 'node:crypto';
import { InvalidMessageError } from '../../core/messages/invalid-message.error.js';
import { serializeEnvelope } from '../../core/messages/envelope-codec.js';
import type { ReceivedMessage } from '../../ports/broker/broker.port.js';
import { SharedEnvelopes } from './shared-envelopes.js';

const entry = (id: string, title = 'Dune'): ReceivedMessage => {
  const messageId = randomUUID();
  return {
    id,
    stream: 'shop::book',
    deliveryCount: 1,
    data: serializeEnvelope({
      id: messageId,
      type: 'shop.BookAdded.v1',
      stream: 'shop::book-1',
      kind: 'EVENT',
      payload: { title },
      metadata: {
        correlationId: messageId,
        causationId: messageId,
        time: new Date().toISOString(),
        version: 1,
        headers: {},
      },
    }),
  };
};

describe('SharedEnvelopes', () => {
  const readers = new Map([['shop::book', 3]]);

  it('parses an entry once for every reader of its stream, then forgets it', () => {
    const shared = new SharedEnvelopes(readers);
    const message = entry('1-0');
    const copy = { ...message, data: `${message.data}` }; // another read: equal text
    const first = shared.decode('shop::book', message);
    expect(shared.decode('shop::book', copy)).toBe(first);
    expect(shared.decode('shop::book', copy)).toBe(first);
    // Three readers had it: a fourth read (a retry, a take-over) parses again.
    const again = shared.decode('shop::book', copy);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it("never hands one entry's envelope to another: same id, other text or other stream", () => {
    const shared = new SharedEnvelopes(new Map([...readers, ['shop::shelf', 2]]));
    const book = shared.decode('shop::book', entry('1-0', 'Dune'));
    expect(shared.decode('shop::book', entry('1-0', 'Emma')).payload).toEqual({ title: 'Emma' });
    expect(shared.decode('shop::shelf', entry('1-0', 'Lolita')).payload).toEqual({
      title: 'Lolita',
    });
    expect(book.payload).toEqual({ title: 'Dune' });
  });

  it('keeps no failure: every reader of an invalid entry gets the error', () => {
    const shared = new SharedEnvelopes(readers);
    const bad: ReceivedMessage = { id: '2-0', stream: 'shop::book', deliveryCount: 1, data: '{}' };
    for (let reader = 0; reader < 3; reader++) {
      expect(() => shared.decode('shop::book', bad)).toThrow(InvalidMessageError);
    }
  });

  it('keeps at most its bound of entries, the oldest pushed out first', () => {
    const shared = new SharedEnvelopes(readers, 2);
    const messages = ['1-0', '2-0', '3-0'].map((id) => entry(id));
    const [oldest, , newest] = messages.map((message) => shared.decode('shop::book', message));
    expect(shared.decode('shop::book', messages[2])).toBe(newest);
    expect(shared.decode('shop::book', messages[0])).not.toBe(oldest);
  });
});
