/**
 * The broker port: the interfaces the outbox processor, the server engine and the CLI use to
 * move messages, one per role. Adapters (`inline`, `redis`, `redis_pubsub`) implement the roles
 * their capabilities allow, on {@link BaseBroker} (`base-broker.ts`).
 *
 * A message on a stream is one entry whose `data` field holds a JSON text (the envelope, or a
 * bare payload for external streams). Brokers move text; they never parse it, so a reader gets
 * an undeserializable entry as data and decides what to do with it.
 */

/** What an adapter can do; the engine and the conformance suite gate behaviour on these. */
export interface BrokerCapabilities {
  /** Messages survive a consumer being away and a broker restart (when the broker persists). */
  readonly durable: boolean;
  /** Consumer groups: each group sees every message once, consumers of a group share them. */
  readonly consumerGroups: boolean;
  /** Messages stay pending until acknowledged; unacknowledged ones can be reclaimed. */
  readonly acknowledgements: boolean;
  /** `read` can wait for new messages up to `blockMs` instead of returning at once. */
  readonly blockingRead: boolean;
  /** `<stream>:dlq` dead-letter streams with list / inspect / replay / purge. */
  readonly deadLetters: boolean;
  /** Messages can be read again from the start of a stream (a new group starting at `0`). */
  readonly replay: boolean;
  /** Messages of one stream are delivered in publish order. */
  readonly ordering: boolean;
  /** Running workers announce here what they run, for every process to see. */
  readonly workerRegistry: boolean;
  /**
   * Partition leases: one consumer of a group reads a partition at a time, under a fenced
   * lease. Absent means no: every worker then reads every partition.
   */
  readonly partitionLeases?: boolean;
}

/** A consumer of a group on a stream: whom an adapter delivers to. */
export interface GroupConsumer {
  readonly stream: string;
  readonly group: string;
  readonly consumer: string;
}

/** One entry to publish. */
export interface OutgoingMessage {
  readonly stream: string;
  /** The JSON text stored in the entry's `data` field. */
  readonly data: string;
}

/** One entry as read by a consumer. */
export interface ReceivedMessage {
  /** The broker's entry id (on Redis Streams `<ms>-<seq>`). */
  readonly id: string;
  readonly stream: string;
  /**
   * The entry's `data` field as stored, or `undefined` when the entry has none (an entry
   * written by hand with other fields); the reader treats that as undeserializable.
   */
  readonly data: string | undefined;
  /** How many times this entry has been delivered to the group, this delivery included. */
  readonly deliveryCount: number;
}

export interface ReadOptions {
  /** Most entries returned at once. */
  readonly count: number;
  /** Longest wait for new entries, in ms; 0 returns at once. Always bounded. */
  readonly blockMs: number;
}

export interface ReclaimOptions {
  /** Entries idle (delivered, unacknowledged) at least this long are taken over. */
  readonly minIdleMs: number;
  readonly count: number;
}

/** A dead letter: the original entry plus where it came from and why it failed. */
export interface DeadLetter {
  /** The entry id on `<stream>:dlq`. */
  readonly id: string;
  /** The stream the message failed on (the DLQ is `<stream>:dlq`). */
  readonly stream: string;
  /** The original `data` text, unchanged, so a replay publishes exactly what failed. */
  readonly data: string | undefined;
  readonly provenance: DeadLetterProvenance;
}

export interface DeadLetterProvenance {
  readonly originalId: string;
  readonly group: string;
  readonly consumer: string;
  readonly error: string;
  readonly attempts: number;
  /** ISO-8601 time of dead-lettering. */
  readonly failedAt: string;
}

export interface GroupInfo {
  readonly name: string;
  /** Entries delivered to the group and not yet acknowledged. */
  readonly pending: number;
  /** Entries not yet delivered to the group; `undefined` where the broker cannot tell. */
  readonly lag: number | undefined;
  /**
   * Entries delivered to the group since it was created (Redis `entries-read`); with `pending`
   * it tells how many the group has finished. `undefined` where the broker cannot tell.
   */
  readonly entriesRead?: number;
  readonly consumers: number;
  readonly lastDeliveredId: string;
}

export interface StreamInfo {
  readonly stream: string;
  readonly length: number;
  readonly groups: readonly GroupInfo[];
}

/*
 * The port, split by role. Every broker is a {@link Broker}: it names itself, publishes,
 * consumes and answers administration. Two roles are extra, and a broker that lacks the
 * capability does not implement them: {@link PendingEntries} (`acknowledgements`) and
 * {@link DeadLetters} (`deadLetters`); `broker-roles.ts` finds them, or refuses with
 * UnsupportedBrokerOperationError. A consumer states the role it uses (as the outbox's
 * `OutboxBroker` does). Every method is safe to call concurrently; blocking reads never block
 * publishing or acknowledging (adapters use a dedicated connection per blocking reader).
 */

/** Who a broker is: carried by every role. */
export interface BrokerIdentity {
  /** The configured name (`default`, or the key under `[brokers.*]`). */
  readonly name: string;
  /** The configured provider (`inline`, `redis`, `redis_pubsub`), for messages and health. */
  readonly provider: string;
  readonly capabilities: BrokerCapabilities;
}

/** The producer role. */
export interface BrokerProducer {
  /** Publishes one entry; resolves to its entry id. Refuses data over the payload limit. */
  publish(message: OutgoingMessage): Promise<string>;
  /** Publishes several entries in one round trip where possible; ids in input order. */
  publishBatch(messages: readonly OutgoingMessage[]): Promise<string[]>;
}

/** The consumer role: groups and reading. */
export interface BrokerConsumer {
  /**
   * Creates the group if absent (with the stream). `from` is `0` (everything, the default, so a
   * handler deployed after its first messages still sees them) or `$` (new only). An existing
   * group is left where it is.
   */
  ensureGroup(stream: string, group: string, from?: '0' | '$'): Promise<void>;
  /**
   * New entries for the group, delivered to `consumer`; waits at most `blockMs`. A group that
   * does not exist (never created, or lost by a broker restart) is created from `0` first.
   */
  read(
    stream: string,
    group: string,
    consumer: string,
    options: ReadOptions,
  ): Promise<ReceivedMessage[]>;
}

/** Pending entries (capability `acknowledgements`): acknowledging, reclaiming, retrying. */
export interface PendingEntries {
  /** Acknowledges entries of a group; resolves to how many were pending. */
  ack(stream: string, group: string, ids: readonly string[]): Promise<number>;
  /**
   * Entries of the group pending longer than `minIdleMs` (whichever consumer holds them: a dead
   * one, or `consumer` itself before a restart), now delivered to `consumer`; each delivery
   * raises the entry's delivery count.
   */
  reclaim(
    stream: string,
    group: string,
    consumer: string,
    options: ReclaimOptions,
  ): Promise<ReceivedMessage[]>;
  /**
   * Takes the given pending entries of the group for `consumer` — a retry after backoff —
   * raising their delivery counts. Entries no longer pending (acknowledged, or claimed by
   * another consumer less than `minIdleMs` ago) are left out of the result.
   */
  claim(
    stream: string,
    group: string,
    consumer: string,
    ids: readonly string[],
    minIdleMs?: number,
  ): Promise<ReceivedMessage[]>;
  /**
   * Resets the idle time of the given entries that are pending for `consumer` — without
   * raising their delivery counts (Redis `XCLAIM … JUSTID`) — so a message still held (queued,
   * or retrying a conflict in place) is not taken over after `minIdleMs`. Entries pending for
   * another consumer, or no longer pending, are left alone. Resolves to the ids touched.
   */
  touch(stream: string, group: string, consumer: string, ids: readonly string[]): Promise<string[]>;
  /** Current delivery count of a pending entry of a group (0 when not pending). */
  deliveryCount(stream: string, group: string, id: string): Promise<number>;
}

/** Dead letters (capability `deadLetters`): `<stream>:dlq` streams. */
export interface DeadLetters {
  /** Writes a failed message to `<stream>:dlq`. */
  deadLetter(
    stream: string,
    data: string | undefined,
    provenance: DeadLetterProvenance,
  ): Promise<string>;
  /**
   * Dead letters of one stream, or of every stream when `stream` is omitted (`undefined` only:
   * an empty name is the name of a stream without dead letters, never "all"; edges take the
   * operator's choice through `deadLetterScope`).
   */
  listDeadLetters(stream?: string, limit?: number, range?: DeadLetterRange): Promise<DeadLetter[]>;
  /**
   * One dead letter by its DLQ entry id, or `undefined`. Ids are unique per DLQ only: without
   * `stream`, an id found in several DLQs is refused (AmbiguousDeadLetterIdError).
   */
  inspectDeadLetter(id: string, stream?: string): Promise<DeadLetter | undefined>;
  /** Publishes a dead letter back to its stream, then removes it from the DLQ. */
  replayDeadLetter(id: string, stream?: string): Promise<boolean>;
  /** Removes dead letters of one stream, or of all when `stream` is omitted; resolves to how many. */
  purgeDeadLetters(stream?: string): Promise<number>;
  /** Removes the dead letters `ids` of one stream; resolves to how many were there. */
  removeDeadLetters(stream: string, ids: readonly string[]): Promise<number>;
}

/**
 * Which part of the dead letters a listing reads. Listings run oldest first by DLQ entry id, and
 * across DLQs by stream name where ids are equal: that order is the key a page goes on from.
 */
export interface DeadLetterRange {
  /** Letters after this one (exclusive): the last of the previous page. */
  readonly after?: { readonly id: string; readonly stream: string };
  /** Only letters that reached their DLQ at or after this time (ms since the epoch). */
  readonly sinceMs?: number;
  /** Only letters that reached their DLQ at or before this time (ms since the epoch). */
  readonly untilMs?: number;
}

/** A running worker, as it announces itself: who it is and which handlers it runs. */
export interface WorkerPresence {
  /** Its consumer name in every group. */
  readonly consumer: string;
  readonly host: string;
  readonly pid: number;
  /** The handlers (consumer groups) it runs. */
  readonly handlers: readonly string[];
  /** Its pool, as `server.handlers` / `server.exclude` chose it; `null`: every handler. */
  readonly pool: string | null;
  readonly startedAt: string;
  /** When it last announced itself. */
  readonly seenAt: string;
  /**
   * The stream categories it partitions, with their counts (`[streams]`): how it routes and
   * reads them. Absent or missing a category: one stream.
   */
  readonly partitions?: Readonly<Record<string, number>>;
}

/**
 * Where running workers announce themselves (the `workerRegistry` capability): each renews
 * its announcement within `ttlMs`, and one that stops renewing (a crash) is forgotten after it.
 */
export interface WorkerRegistry {
  announceWorker(presence: WorkerPresence, ttlMs: number): Promise<void>;
  /** Forgets the worker at once (a clean stop). */
  withdrawWorker(consumer: string): Promise<void>;
  /** The workers whose announcement has not expired. */
  runningWorkers(): Promise<WorkerPresence[]>;
}

/** A consumer's lease on one partition: granted, renewed, and fenced by its token. */
export interface PartitionLease {
  readonly partition: number;
  /**
   * The fencing token of this grant, never reused: a read under a lease that was lost (expired,
   * taken over) is refused, even when its holder has not noticed yet.
   */
  readonly token: string;
}

/** One consumer's turn at sharing a partitioned category's partitions among a group's members. */
export interface PartitionBalance {
  /** The partitioned category: its partitions are `<category>#0` … `#<partitions − 1>`. */
  readonly category: string;
  readonly partitions: number;
  readonly group: string;
  readonly consumer: string;
  /** How long a membership and a lease last without renewal. */
  readonly ttlMs: number;
}

/** What a consumer holds after a {@link PartitionLeases.balancePartitions} turn. */
export interface PartitionShare {
  /** Its leases, renewed, and those it just took. */
  readonly leases: readonly PartitionLease[];
  /** The group's live members on this category. */
  readonly members: number;
  /** Its fair share: ceil(partitions / members); leases beyond it are to be given back. */
  readonly fair: number;
}

/**
 * Partition leases (capability `partitionLeases`). The members of a group on a partitioned
 * category share its partitions: each turn renews a member's presence and its leases, and takes
 * free (or expired) partitions up to its fair share. A member stopping to renew (a crash) loses
 * its leases after `ttlMs`; the others take its partitions over.
 */
export interface PartitionLeases {
  balancePartitions(balance: PartitionBalance): Promise<PartitionShare>;
  /** Gives a lease back (after its messages were drained), if still held under its token. */
  releasePartition(category: string, group: string, lease: PartitionLease): Promise<void>;
  /** Leaves the group's members on `category`, giving back every lease (a clean stop). */
  leavePartitions(category: string, group: string, consumer: string): Promise<void>;
  /**
   * {@link BrokerConsumer.read} under a lease: new entries of partition stream `stream`, or
   * {@link PartitionLeaseLostError} when `lease` no longer holds it — checked by the broker in
   * the same step as the read, so a consumer that lost its lease can never read past the
   * consumer that took it over.
   */
  readUnderLease(
    at: { readonly stream: string; readonly group: string; readonly consumer: string },
    category: string,
    lease: PartitionLease,
    options: ReadOptions,
  ): Promise<ReceivedMessage[]>;
  /**
   * How many partitions each category's streams were last laid out in, as workers recorded it
   * (categories never recorded are absent: one stream, or never read by a worker here).
   */
  partitionLayouts(): Promise<ReadonlyMap<string, number>>;
  /** Records the partition count `category`'s streams are now laid out in. */
  recordPartitionLayout(category: string, partitions: number): Promise<void>;
}

/** The administration role. */
export interface BrokerAdmin {
  /**
   * Trims now to `maxLength` (default: the broker's `max_stream_length`; 0 keeps everything):
   * drops the oldest entries beyond it, but never one that a group has not acknowledged or not
   * yet received. Resolves to how many were dropped (0 where nothing is stored). Adapters also
   * trim on their own after publishing; `<stream>:dlq` streams are never trimmed.
   */
  trim(stream: string, maxLength?: number): Promise<number>;
  /** Length, groups, pending and lag of a stream. */
  streamInfo(stream: string): Promise<StreamInfo>;
  /** Resolves when the broker answers; rejects with a clear error otherwise. */
  ping(): Promise<void>;
  /** Stops blocking reads and closes connections. */
  close(): Promise<void>;
}

/** What every broker is: the roles every adapter implements. */
export interface Broker extends BrokerIdentity, BrokerProducer, BrokerConsumer, BrokerAdmin {}

/** A broker with every role (`inline`, `redis`): pending entries and dead letters too. */
export interface StreamBroker extends Broker, PendingEntries, DeadLetters {}

/** The DLQ stream of a stream. */
export const deadLetterStream = (stream: string): string => `${stream}:dlq`;

/** Whether a stream is itself a DLQ (its name ends in `:dlq`). */
export const isDeadLetterStream = (stream: string): boolean => stream.endsWith(':dlq');

/** The stream a DLQ belongs to: `orders:dlq` → `orders`. */
export const originalStreamOf = (dlqStream: string): string => dlqStream.slice(0, -':dlq'.length);
