import { ConfigurationError } from '../core/config/configuration.error.js';
import type { StreamPartitions } from '../core/messages/stream-partitions.js';
import type { Broker } from '../ports/broker/broker.port.js';
import { hasPartitionLeases, hasWorkerRegistry } from '../ports/broker/broker-roles.js';

/**
 * Refuses to publish where no worker reads: when this process's `[streams]` configuration
 * routes a category to another number of partitions than the running workers read it in (a
 * relay or an API left out of a change of `partitions`), its messages would go to streams no
 * group reads, in silence. Throws {@link ConfigurationError} naming the key and the count the
 * workers read. A recorded layout that no running worker reads any more is a change under way
 * (docs/scaling.md): the workers starting with the new count switch it, or refuse to. Brokers
 * without partition leases record no layout: nothing to check.
 */
export async function assertPartitionRouting(
  broker: Pick<Broker, 'name' | 'capabilities'>,
  streams: StreamPartitions,
): Promise<void> {
  if (!hasPartitionLeases(broker)) return;
  const recorded = await broker.partitionLayouts();
  const mismatched = [...recorded].filter(
    ([category, partitions]) => streams.of(category) !== partitions,
  );
  if (mismatched.length === 0 || !hasWorkerRegistry(broker)) return;
  const running = await broker.runningWorkers();
  for (const [category] of mismatched) {
    const here = streams.of(category);
    const readers = running.filter((worker) => (worker.partitions?.[category] ?? 1) !== here);
    if (readers.length === 0) continue;
    const [first] = readers;
    throw new ConfigurationError(
      `streams.${category}.partitions`,
      `is ${here} in this process, but ${readers.length} running worker(s) read "${category}" ` +
        `in ${first.partitions?.[category] ?? 1} partition(s) (${first.consumer} on ${first.host}, ` +
        `pid ${first.pid}${readers.length > 1 ? ', …' : ''}): its messages would go where they ` +
        `do not read. Give every process the same count, or change it as docs/scaling.md says`,
    );
  }
}
