import { ConfigurationError } from '../../core/config/configuration.error.js';
import { categoryStreams, type StreamPartitions } from '../../core/messages/stream-partitions.js';
import type { Broker, PartitionLeases } from '../../ports/broker/broker.port.js';
import { hasPartitionLeases, hasWorkerRegistry } from '../../ports/broker/broker-roles.js';

/** A category the engine reads, and the broker it reads it on. */
export interface CategoryReaders {
  readonly broker: Broker;
  readonly category: string;
}

/** What is left on a stream for a group: not yet delivered, or delivered and not acknowledged. */
interface Leftover {
  readonly stream: string;
  readonly group: string;
  readonly messages: number;
}

/**
 * Changing a category's partition count is a migration, never a silent reordering: messages
 * left on the old layout's streams would be read beside the new ones, an aggregate's older
 * messages after its newer. The broker records the layout a category's streams are in; a
 * worker configured with another count switches it only once no running worker routes the
 * category the old way and the old streams are drained for every group on them — its own
 * pool's and every other's, which would otherwise never read them again — and otherwise
 * refuses to start, naming the key, what is left and where
 * (docs/scaling.md, "Changing N"). Brokers without partition leases keep no layout: a worker
 * there reads every partition anyway.
 */
export async function switchPartitionLayouts(
  readers: readonly CategoryReaders[],
  streams: StreamPartitions,
): Promise<void> {
  for (const { broker, category } of readers) {
    if (!hasPartitionLeases(broker)) continue;
    await switchLayout(broker, category, streams);
  }
}

async function switchLayout(
  broker: Broker & PartitionLeases,
  category: string,
  streams: StreamPartitions,
): Promise<void> {
  const configured = streams.of(category);
  const recorded = (await broker.partitionLayouts()).get(category) ?? 1;
  if (recorded === configured) return;
  // A worker still running on the other count would go on routing and reading that way.
  const others = hasWorkerRegistry(broker)
    ? (await broker.runningWorkers()).filter(
        (worker) => (worker.partitions?.[category] ?? 1) !== configured,
      )
    : [];
  if (others.length > 0) {
    const [first] = others;
    throw new ConfigurationError(
      `streams.${category}.partitions`,
      `is ${configured}, but ${others.length} running worker(s) route "${category}" in ` +
        `${first.partitions?.[category] ?? 1} partition(s) (${first.consumer} on ${first.host}, ` +
        `pid ${first.pid}${others.length > 1 ? ', …' : ''}). Stop them before changing the ` +
        `count (docs/scaling.md)`,
    );
  }
  const old = categoryStreams(category, recorded);
  const leftovers = (await Promise.all(old.map((stream) => leftoverOn(broker, stream)))).flat();
  if (leftovers.length > 0) {
    const total = leftovers.reduce((sum, left) => sum + left.messages, 0);
    const where = leftovers
      .slice(0, 3)
      .map((left) => `${left.messages} on "${left.stream}" for ${left.group}`)
      .join(', ');
    throw new ConfigurationError(
      `streams.${category}.partitions`,
      `is ${configured}, but the broker's streams of "${category}" are laid out in ${recorded} ` +
        `partition(s) and still hold ${total} message(s) (${where}${leftovers.length > 3 ? ', …' : ''}). ` +
        `Drain them first: stop the producers, let workers with partitions = ${recorded} finish, ` +
        `then start with the new count; a group no handler reads any more can be deleted ` +
        `(XGROUP DESTROY) (docs/scaling.md)`,
    );
  }
  await broker.recordPartitionLayout(category, configured);
}

async function leftoverOn(broker: Broker, stream: string): Promise<Leftover[]> {
  const info = await broker.streamInfo(stream);
  return info.groups
    .map((group) => ({
      stream,
      group: group.name,
      // A lag Redis cannot tell (after deletions) counts the whole stream: nothing is assumed read.
      messages: group.pending + (group.lag ?? info.length),
    }))
    .filter((left) => left.messages > 0);
}
