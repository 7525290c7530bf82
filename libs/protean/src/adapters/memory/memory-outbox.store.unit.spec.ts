import { describeOutboxStoreContract } from 'nestjs-protean/testing';
import { MemoryDatabase } from './memory-database.js';
import { MemoryOutboxStore } from './memory-outbox.store.js';

describeOutboxStoreContract('memory', async () => {
  let now = Date.parse('2025-01-01T00:00:00Z');
  const database = new MemoryDatabase();
  return {
    database,
    store: new MemoryOutboxStore(() => now),
    elapse: async (seconds) => {
      now += seconds * 1000;
    },
    close: () => database.close(),
  };
});
