/**
 * `nestjs-protean/testing`: the contract suites every adapter must pass — brokers, databases,
 * event stores, outbox stores — for authors of their own adapters, as the repository runs them
 * against its own. They are Jest suites (`describe` / `it` / `expect` globals): call one from a
 * spec file with a factory for your adapter.
 */
export { describeBrokerConformance, type ConformanceTarget } from './broker-conformance.js';
export { describeDatabaseContract, type DatabaseUnderTest } from './database.contract.js';
export { describeEventStoreContract, eventEnvelope } from './event-store.contract.js';
export { describeOutboxStoreContract, type OutboxStoreUnderTest } from './outbox-store.contract.js';
export { eventually, within } from './eventually.js';
export { readUntil } from './read-until.js';
export { uniqueName } from './unique-name.js';
export { compareStreamIds } from '../brokers/stream-id.js';
