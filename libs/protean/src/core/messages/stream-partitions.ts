import { aggregateIdOf, categoryOf } from './stream-names.js';

/** `bookshelf::order` + 3 → `bookshelf::order#3`: the broker stream of one partition. */
export const partitionStream = (category: string, partition: number): string =>
  `${category}#${partition}`;

/** `bookshelf::order#3` → `bookshelf::order`; a stream without a partition is its own category. */
export const unpartitioned = (stream: string): string => {
  const hash = stream.lastIndexOf('#');
  return hash === -1 || !/^\d+$/.test(stream.slice(hash + 1)) ? stream : stream.slice(0, hash);
};

/** The broker streams of a category laid out in `n` partitions: itself, or its `n` partitions. */
export const categoryStreams = (category: string, n: number): string[] =>
  n <= 1 ? [category] : Array.from({ length: n }, (_, k) => partitionStream(category, k));

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/**
 * The partition of an aggregate: FNV-1a (32 bit) of its id's UTF-8 bytes, modulo `partitions`.
 * Stable across processes, versions and languages, so every producer routes an aggregate alike.
 */
export function partitionOf(aggregateId: string, partitions: number): number {
  if (partitions <= 1) return 0;
  let hash = FNV_OFFSET;
  for (const byte of utf8.encode(aggregateId)) hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
  return hash % partitions;
}

/**
 * Where messages travel, by stream category (`[streams."<category>"] partitions = N`): the
 * category's broker stream, or with N > 1 one of its N partition streams, `<category>#<k>`,
 * chosen by the aggregate id so that one aggregate's messages stay on one partition, in order.
 * Built from the configuration alone, which every process reads alike: the API, the relays
 * and the workers route and read the same streams. Categories match case-insensitively, as
 * configuration keys do.
 */
export class StreamPartitions {
  private readonly counts: ReadonlyMap<string, number>;

  constructor(streams: Readonly<Record<string, { readonly partitions: number }>>) {
    this.counts = new Map(
      Object.entries(streams)
        .filter(([, settings]) => settings.partitions > 1)
        .map(([category, settings]) => [category.toLowerCase(), settings.partitions]),
    );
  }

  /** The categories that are partitioned, with their partition counts. */
  get partitioned(): ReadonlyMap<string, number> {
    return this.counts;
  }

  /** How many partitions `category` has (1: not partitioned). */
  of(category: string): number {
    return this.counts.get(category.toLowerCase()) ?? 1;
  }

  /** The broker streams of `category`: itself, or its partition streams in order. */
  streamsOf(category: string): string[] {
    return categoryStreams(category, this.of(category));
  }

  /**
   * The broker stream of a message on aggregate stream `stream` (`bookshelf::order-<id>`): its
   * category's, or the partition of its aggregate. A message with no aggregate id goes to
   * partition 0.
   */
  brokerStreamOf(stream: string): string {
    const category = categoryOf(stream);
    const n = this.of(category);
    return n === 1
      ? category
      : partitionStream(category, partitionOf(aggregateIdOf(stream) ?? '', n));
  }
}
