import { ConfigurationError } from '../core/config/configuration.error.js';
import type { StreamPartitions } from '../core/messages/stream-partitions.js';
import type { Broker } from '../ports/broker/broker.port.js';
import { hasPartitionLeases } from '../ports/broker/broker-roles.js';

/**
 * Refuses to publish where no worker reads: when this process's `[streams]` configuration
 * routes a category to another number of partitions than the layout its workers recorded at
 * the broker (a relay or an API left out of a change of `partitions`), its messages would go to
 * streams no group reads, in silence. Throws {@link ConfigurationError} naming the key and the
 * count the workers read. Brokers without partition leases record no layout: nothing to check.
 */
export async function assertPartitionRouting(
  broker: Pick<Broker, 'name' | 'capabilities'>,
  streams: StreamPartitions,
): Promise<void> {
  if (!hasPartitionLeases(broker)) return;
  const recorded = await broker.partitionLayouts();
  for (const [category, partitions] of recorded) {
    const here = streams.of(category);
    if (here === partitions) continue;
    throw new ConfigurationError(
      `streams.${category}.partitions`,
      `is ${here} in this process, but the workers read "${category}" in ${partitions} ` +
        `partition(s) (the layout recorded at broker "${broker.name}"): its messages would go ` +
        `where no worker reads. Give every process the same count, or change it as ` +
        `docs/scaling.md says`,
    );
  }
}
