import { describeEventStoreContract } from 'nestjs-protean/testing';
import { MemoryEventStore } from './memory-event-store.js';

describeEventStoreContract('memory', async () => {
  const store = new MemoryEventStore();
  return { store, close: () => store.close() };
});
