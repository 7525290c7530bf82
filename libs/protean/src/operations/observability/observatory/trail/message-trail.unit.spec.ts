import { InlineBroker } from '../../../../adapters/memory/inline-broker/inline.broker.js';
import { MemoryDatabase } from '../../../../adapters/memory/memory-database.js';
import { MemoryEventStore } from '../../../../adapters/memory/memory-event-store.js';
import type { ProteanStatus } from '../../status/protean-status.js';
import { DeadLetterBrowser } from '../dead-letter-browser.js';
import { MessageTrail } from './message-trail.js';

describe('MessageTrail: dead letters', () => {
  const settings = { maxPayloadBytes: 1 << 20, maxStreamLength: 0 };
  const brokers = new Map([
    ['closed', new InlineBroker('closed', settings)],
    ['open', new InlineBroker('open', settings)],
  ]);
  const status = {
    brokerNames: () => [...brokers.keys()],
    broker: (name: string) => brokers.get(name)!,
  } as unknown as ProteanStatus;
  const trail = new MessageTrail(
    new MemoryDatabase(),
    new MemoryEventStore(),
    status,
    new DeadLetterBrowser(status),
  );

  afterAll(() => Promise.all([...brokers.values()].map((broker) => broker.close())));

  it("finds an external entry's letter on one broker, and names the broker it could not read", async () => {
    const originalId = `${Date.now()}-0`;
    const id = await brokers.get('open')!.deadLetter('external', 'not json', {
      originalId,
      group: 'G',
      consumer: 'c',
      error: 'boom',
      attempts: 3,
      failedAt: new Date().toISOString(),
    });
    await brokers.get('closed')!.close();

    const result = await trail.find(`external/${originalId}`);

    expect(result.deadLetters).toEqual([
      expect.objectContaining({ broker: 'open', stream: 'external', id, error: 'boom' }),
    ]);
    expect(result.notes).toContainEqual(
      expect.stringMatching(/^Dead letters of broker "closed" could not be read: /),
    );
  });
});
