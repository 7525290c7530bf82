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

  it('says when it searched as many letters of a broker as it may', async () => {
    const broker = new InlineBroker('crowded', settings);
    brokers.set('crowded', broker);
    const provenance = { originalId: '1-0', group: 'G', consumer: 'c', error: 'boom', attempts: 1 };
    const failedAt = new Date().toISOString();
    const count = async () =>
      (await trail.find('external/1-0')).notes.filter((note) => note.includes('"crowded"'));
    for (let n = 0; n < 19_999; n++)
      await broker.deadLetter('crowded', undefined, { ...provenance, failedAt });
    expect(await count()).toEqual([]);

    await broker.deadLetter('crowded', undefined, { ...provenance, failedAt });

    expect(await count()).toEqual([
      'Searched 20,000 dead letters of broker "crowded" from the trail\'s start, the limit: any later ones were not searched',
    ]);
  });
});
