import { describeDatabaseContract } from '../../../../../test/support/contracts/database.contract.js';
import { MemoryDatabase } from './memory-database.js';

describeDatabaseContract('memory', async () => {
  const database = new MemoryDatabase();
  return { database, close: () => database.close() };
});
