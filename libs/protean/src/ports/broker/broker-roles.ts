import type {
  Broker,
  DeadLetters,
  PartitionLeases,
  PendingEntries,
  WorkerRegistry,
} from './broker.port.js';
import { UnsupportedBrokerOperationError } from './unsupported-broker-operation.error.js';

/*
 * The optional roles of a broker, found by the capability that promises them: a broker
 * without the capability does not implement the role, and whoever needs it gets a clear
 * refusal naming the capability instead of a method that throws.
 */

/** Whether the broker keeps entries pending until acknowledged (the {@link PendingEntries} role). */
export const hasPendingEntries = (broker: Broker): broker is Broker & PendingEntries =>
  broker.capabilities.acknowledgements;

/** Whether the broker keeps dead letters (the {@link DeadLetters} role). */
export const hasDeadLetters = (broker: Broker): broker is Broker & DeadLetters =>
  broker.capabilities.deadLetters;

/** Whether running workers announce themselves on the broker (the {@link WorkerRegistry} role). */
export const hasWorkerRegistry = <B extends Pick<Broker, 'capabilities'>>(
  broker: B,
): broker is B & WorkerRegistry => broker.capabilities.workerRegistry;

/** Whether one consumer of a group reads a partition at a time (the {@link PartitionLeases} role). */
export const hasPartitionLeases = <B extends Pick<Broker, 'capabilities'>>(
  broker: B,
): broker is B & PartitionLeases => broker.capabilities.partitionLeases === true;

/**
 * The broker's dead letters, or {@link UnsupportedBrokerOperationError} naming `operation`
 * (`list dead letters`, …) and the missing capability.
 */
export function deadLettersOf(broker: Broker, operation: string): Broker & DeadLetters {
  if (hasDeadLetters(broker)) return broker;
  throw new UnsupportedBrokerOperationError(broker.name, broker.provider, operation, 'deadLetters');
}
