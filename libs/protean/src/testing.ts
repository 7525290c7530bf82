/**
 * `nestjs-protean/testing`: the contract suites every adapter must pass — brokers, databases,
 * event stores, outbox stores — for authors of their own adapters, as the repository runs them
 * against its own. They are Jest suites (`describe` / `it` / `expect` globals): call one from a
 * spec file with a factory for your adapter.
 */
export {
  describeBrokerConformance,
  type ConformanceTarget,
} from './operations/testing/broker-conformance.js';
export {
  describeDatabaseContract,
  type DatabaseUnderTest,
} from './operations/testing/database.contract.js';
export {
  describeEventStoreContract,
  eventEnvelope,
} from './operations/testing/event-store.contract.js';
export {
  describeOutboxStoreContract,
  type OutboxStoreUnderTest,
} from './operations/testing/outbox-store.contract.js';
export { eventually, within } from './operations/testing/eventually.js';
export { readUntil } from './operations/testing/read-until.js';
export { uniqueName } from './operations/testing/unique-name.js';
export { compareStreamIds } from './ports/broker/stream-id.js';
