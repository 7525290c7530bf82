import { Logger } from '@nestjs/common';
import type { Broker, PartitionLease, PartitionLeases } from '../../ports/broker/broker.port.js';
import { hasPartitionLeases } from '../../ports/broker/broker-roles.js';
import { partitionStream } from '../../core/messages/stream-partitions.js';
import type { ResolvedSubscriptionSettings } from '../../core/config/subscription-profiles.js';
import { describeError } from '../../core/errors/error-message.js';
import type { LeasedReading, PartitionReading } from './stream-subscription.js';
import { ConcurrencySlots } from './concurrency-slots.js';
import type { Subscription } from './subscription.js';
import { SYSTEM_CLOCK, type Clock } from '../../core/async/clock.js';

/** What a partition's own subscription is: a stream subscription, started and drained here. */
export interface PartitionSubscription extends Subscription {
  readonly stream: string;
}

/** Opens the subscription of one partition stream, reading as `partition` says. */
export type OpenPartition = (stream: string, partition: PartitionReading) => PartitionSubscription;

/** A partition read here: its subscription, and the lease it reads under. */
interface Held {
  readonly lease: PartitionLease;
  readonly subscription: PartitionSubscription;
  /** Set once its lease is lost or given back: it is draining and no longer counts. */
  leaving?: Promise<void>;
}

/** How often a member renews its leases, as a fraction of their time to live. */
const RENEWALS_PER_TTL = 5;

/**
 * One handler's subscription to a partitioned category (`[streams."<category>"] partitions =
 * N`): N partition streams `<category>#<k>`, of which this consumer reads those it holds a lease
 * on. Every `ttl / 5` it takes its turn at sharing them with the group's other live members —
 * renewing its leases, taking free ones up to its fair share, and giving back, after draining
 * them, those beyond it — so that each partition is read by one consumer at a time, and an
 * aggregate's messages (all on one partition) are handled in order across workers and
 * restarts, and never by two workers at once. A partition taken over first takes over the
 * entries still pending on it (see {@link LeasedReading}). A read under a lost lease is refused
 * by the broker: that partition stops here.
 *
 * A broker without partition leases (`inline`, `redis_pubsub`: one process, or no groups)
 * has every partition read here.
 */
export class PartitionedSubscription implements Subscription {
  private readonly logger: Logger;
  private readonly held = new Map<number, Held>();
  private readonly leases: (Broker & PartitionLeases) | undefined;
  /** The handler's `concurrency`, shared by the partitions read here. */
  private readonly slots: ConcurrencySlots;
  private cancelTurn: (() => void) | undefined;
  private turn: Promise<void> = Promise.resolve();
  private running = false;

  constructor(
    private readonly broker: Broker,
    /** The category: `stream` for the status page, its partitions `<category>#<k>`. */
    readonly stream: string,
    private readonly partitions: number,
    readonly group: string,
    readonly settings: ResolvedSubscriptionSettings,
    private readonly consumer: string,
    private readonly ttlMs: number,
    private readonly open: OpenPartition,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {
    this.logger = new Logger(`Partitions ${group} ${stream}`);
    this.leases = hasPartitionLeases(broker) ? broker : undefined;
    this.slots = new ConcurrencySlots(settings.concurrency);
  }

  /** The partitions read here now, in order. */
  get partitionsHeld(): number[] {
    return [...this.held.entries()]
      .filter(([, held]) => !held.leaving)
      .map(([partition]) => partition)
      .sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    this.running = true;
    if (!this.leases) {
      for (let k = 0; k < this.partitions; k++)
        await this.startPartition({ partition: k, token: '' });
      return;
    }
    await this.balance();
    this.scheduleTurn();
  }

  stopReading(): void {
    this.running = false;
    this.cancelTurn?.();
    for (const { subscription } of this.held.values()) subscription.stopReading();
  }

  async drain(deadline: number): Promise<void> {
    // A turn in flight may have opened a partition after stopReading(): stop it too.
    await this.turn;
    for (const { subscription } of this.held.values()) subscription.stopReading();
    await Promise.all(
      [...this.held.values()].map((held) => held.leaving ?? held.subscription.drain(deadline)),
    );
    this.held.clear();
    if (!this.leases) return;
    try {
      await this.leases.leavePartitions(this.stream, this.group, this.consumer);
    } catch (error) {
      this.logger.warn(`Could not give the leases back (they expire): ${describeError(error)}`);
    }
  }

  async stopped(): Promise<void> {
    await Promise.all([...this.held.values()].map(({ subscription }) => subscription.stopped()));
  }

  /** The next turn, `ttl / 5` from now, then the one after it. */
  private scheduleTurn(): void {
    this.cancelTurn = this.clock.schedule(
      this.ttlMs / RENEWALS_PER_TTL,
      () => {
        // A turn never rejects (see balance): the next one is always scheduled.
        this.turn = this.turn.then(() => this.balance());
        void this.turn.then(() => {
          if (this.running) this.scheduleTurn();
        });
      },
      { unref: true },
    );
  }

  /** One turn: renew, take up to the fair share, give back beyond it. */
  private async balance(): Promise<void> {
    if (!this.running || !this.leases) return;
    let share;
    try {
      share = await this.leases.balancePartitions({
        category: this.stream,
        partitions: this.partitions,
        group: this.group,
        consumer: this.consumer,
        ttlMs: this.ttlMs,
      });
    } catch (error) {
      // Leases not renewed expire, and their reads are refused: nothing to undo here.
      this.logger.warn(`Could not renew the partition leases: ${describeError(error)}`);
      return;
    }
    if (!this.running) return;
    const granted = new Map(share.leases.map((lease) => [lease.partition, lease]));
    for (const [partition, held] of this.held) {
      if (held.leaving) continue;
      const lease = granted.get(partition);
      if (!lease || lease.token !== held.lease.token) this.giveUp(partition, held, false);
    }
    for (const lease of share.leases) {
      if (this.held.has(lease.partition)) continue;
      try {
        await this.startPartition(lease);
      } catch (error) {
        // Still leased to us: the next turn tries again.
        this.logger.warn(
          `Could not start reading partition ${lease.partition}: ${describeError(error)}`,
        );
      }
    }
    const reading = this.partitionsHeld;
    for (const partition of reading.slice(share.fair).reverse()) {
      this.giveUp(partition, this.held.get(partition)!, true);
    }
  }

  private async startPartition(lease: PartitionLease): Promise<void> {
    const stream = partitionStream(this.stream, lease.partition);
    const leases = this.leases;
    const leased: LeasedReading | undefined = leases && {
      read: (count, blockMs) =>
        leases.readUnderLease(
          { stream, group: this.group, consumer: this.consumer },
          this.stream,
          lease,
          { count, blockMs },
        ),
      lost: () => {
        const held = this.held.get(lease.partition);
        if (held && held.lease === lease && !held.leaving)
          this.giveUp(lease.partition, held, false);
      },
    };
    const subscription = this.open(stream, { leased, slots: this.slots });
    this.held.set(lease.partition, { lease, subscription });
    try {
      await subscription.start();
    } catch (error) {
      this.held.delete(lease.partition);
      throw error;
    }
    if (leases) this.logger.log(`Reading partition ${stream} (lease ${lease.token})`);
  }

  /**
   * Stops reading a partition. Given back (`release`): its messages in hand finish first, within
   * a lease's time to live, then the lease is released. Lost: what it holds is dropped at once,
   * left to the partition's new owner.
   */
  private giveUp(partition: number, held: Held, release: boolean): void {
    const { subscription, lease } = held;
    subscription.stopReading();
    const deadline = this.clock.now() + (release ? this.ttlMs / 2 : 0);
    held.leaving = (async () => {
      try {
        await subscription.drain(deadline);
        if (release && this.leases)
          await this.leases.releasePartition(this.stream, this.group, lease);
      } catch (error) {
        // Its lease expires instead; what it held is taken over with the partition.
        this.logger.warn(`Could not give ${subscription.stream} back: ${describeError(error)}`);
      } finally {
        if (this.held.get(partition) === held) this.held.delete(partition);
      }
    })();
    this.logger.log(
      `${release ? 'Giving back' : 'Lost'} partition ${subscription.stream} (lease ${lease.token})`,
    );
  }
}
