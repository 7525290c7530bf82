import fc from 'fast-check';
import { describeDatabaseContract } from 'nestjs-protean/testing';
import { MemoryDatabase } from './memory-database.js';

describeDatabaseContract('memory', async () => {
  const database = new MemoryDatabase();
  return { database, close: () => database.close() };
});

describe('memory database: processed-message records', () => {
  const mark = (database: MemoryDatabase, messageId: string) =>
    database.transaction((session) => session.markProcessed('Handler', messageId));

  it('keeps the last processedKept records and forgets the oldest first', async () => {
    const database = new MemoryDatabase({ processedKept: 3 });
    for (const id of ['m1', 'm2', 'm3', 'm4']) await expect(mark(database, id)).resolves.toBe(true);
    // m2–m4 are still known: their redelivery changes nothing; m1's runs again.
    for (const id of ['m2', 'm3', 'm4']) await expect(mark(database, id)).resolves.toBe(false);
    await expect(mark(database, 'm1')).resolves.toBe(true);
    await expect(mark(database, 'm2')).resolves.toBe(true);
  });

  it('remembers exactly the last processedKept messages, whatever the order of redeliveries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 6 }),
        // One message id can reach several handlers: each keeps its own record of it.
        fc.array(fc.tuple(fc.constantFrom('Handler', 'Projector', 'Saga'), fc.nat(12)), {
          maxLength: 80,
        }),
        async (kept, deliveries) => {
          const database = new MemoryDatabase({ processedKept: kept });
          const remembered: string[] = []; // the model, `handler/id`: oldest first
          for (const [handler, delivery] of deliveries) {
            const id = `m${delivery}`;
            const fresh = !remembered.includes(`${handler}/${id}`);
            await expect(
              database.transaction((session) => session.markProcessed(handler, id)),
            ).resolves.toBe(fresh);
            if (fresh) remembered.push(`${handler}/${id}`);
            if (remembered.length > kept) remembered.shift();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
