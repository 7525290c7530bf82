import { describeDatabaseContract } from 'nestjs-protean/testing';
import { MemoryDatabase } from './memory-database.js';

describeDatabaseContract('memory', async () => {
  const database = new MemoryDatabase();
  return { database, close: () => database.close() };
});
