import { ManualClock, settle } from '../../../../../test/support/manual-clock.js';
import type {
  Broker,
  PartitionLease,
  PartitionLeases,
  PartitionShare,
} from '../../ports/broker/broker.port.js';
import {
  DEFAULT_SUBSCRIPTION_SETTINGS,
  type ResolvedSubscriptionSettings,
} from '../../core/config/subscription-profiles.js';

const SETTINGS: ResolvedSubscriptionSettings = {
  ...DEFAULT_SUBSCRIPTION_SETTINGS,
  subscription_profile: null,
};
import { PartitionedSubscription, type PartitionSubscription } from './partitioned-subscription.js';
import type { LeasedReading, PartitionReading } from './stream-subscription.js';

/** A partition's subscription as the parent drives it: what was done to it, in order. */
class FakePartition implements PartitionSubscription {
  readonly group = 'G';
  readonly settings = SETTINGS;
  readonly calls: string[] = [];

  readonly leased?: LeasedReading;

  constructor(
    readonly stream: string,
    readonly partition: PartitionReading,
  ) {
    this.leased = partition.leased;
  }

  async start() {
    this.calls.push('start');
  }
  stopReading() {
    this.calls.push('stopReading');
  }
  async drain(deadline: number) {
    this.calls.push(`drain ${deadline}`);
  }
  async stopped() {}
}

const lease = (partition: number, token = `t${partition}`): PartitionLease => ({
  partition,
  token,
});

/** The broker's side of the leases: each turn answers the next share, and releases are recorded. */
function leasingBroker(shares: PartitionShare[]) {
  const released: PartitionLease[] = [];
  const left: string[] = [];
  const broker = {
    name: 'default',
    capabilities: { partitionLeases: true },
    balancePartitions: async () => shares.shift() ?? { leases: [], members: 1, fair: 0 },
    releasePartition: async (_category: string, _group: string, given: PartitionLease) => {
      released.push(given);
    },
    leavePartitions: async (_category: string, _group: string, consumer: string) => {
      left.push(consumer);
    },
  } as unknown as Broker & PartitionLeases;
  return { broker, released, left };
}

const TTL = 10_000;
const TURN = TTL / 5;

function partitioned(broker: Broker, clock: ManualClock) {
  const opened: FakePartition[] = [];
  const subscription = new PartitionedSubscription(
    broker,
    'shop::order',
    4,
    'G',
    SETTINGS,
    'me',
    TTL,
    (stream, reading) => {
      const partition = new FakePartition(stream, reading);
      opened.push(partition);
      return partition;
    },
    clock,
  );
  return { subscription, opened };
}

describe('PartitionedSubscription', () => {
  it('reads the partitions its leases grant, each under its own lease', async () => {
    const clock = new ManualClock();
    const { broker } = leasingBroker([{ leases: [lease(0), lease(2)], members: 2, fair: 2 }]);
    const { subscription, opened } = partitioned(broker, clock);

    await subscription.start();

    expect(opened.map((p) => p.stream)).toEqual(['shop::order#0', 'shop::order#2']);
    expect(opened.every((p) => p.calls[0] === 'start' && p.leased)).toBe(true);
    // One concurrency for the handler, shared by its partitions here.
    expect(opened[0].partition.slots).toBe(opened[1].partition.slots);
    expect(opened[0].partition.slots.limit).toBe(SETTINGS.concurrency);
    expect(subscription.partitionsHeld).toEqual([0, 2]);
  });

  it('gives back, after draining them, the partitions beyond its fair share', async () => {
    const clock = new ManualClock();
    const all = [lease(0), lease(1), lease(2), lease(3)];
    const { broker, released } = leasingBroker([
      { leases: all, members: 1, fair: 4 },
      { leases: all, members: 2, fair: 2 },
    ]);
    const { subscription, opened } = partitioned(broker, clock);
    await subscription.start();

    await clock.advance(TURN);
    await settle();

    expect(subscription.partitionsHeld).toEqual([0, 1]);
    expect(released).toEqual([lease(3), lease(2)]);
    const given = opened.filter((p) => p.stream.endsWith('#2') || p.stream.endsWith('#3'));
    // Drained with time to finish what it holds (half a lease), then released.
    for (const p of given)
      expect(p.calls).toEqual(['start', 'stopReading', `drain ${clock.now() + TTL / 2}`]);
  });

  it('drops at once a partition whose lease was lost or granted anew, and reopens it', async () => {
    const clock = new ManualClock();
    const { broker, released } = leasingBroker([
      { leases: [lease(0), lease(1)], members: 2, fair: 2 },
      { leases: [lease(0, 't9')], members: 2, fair: 2 },
      { leases: [lease(0, 't9')], members: 2, fair: 2 },
    ]);
    const { subscription, opened } = partitioned(broker, clock);
    await subscription.start();

    await clock.advance(TURN);
    await settle();
    const lostAt = clock.now();
    expect(opened[0].calls).toEqual(['start', 'stopReading', `drain ${lostAt}`]);
    expect(opened[1].calls).toEqual(['start', 'stopReading', `drain ${lostAt}`]);
    expect(released).toEqual([]); // a lost lease is not ours to release

    await clock.advance(TURN);
    await settle();
    expect(opened.map((p) => p.stream)).toEqual([
      'shop::order#0',
      'shop::order#1',
      'shop::order#0',
    ]);
    expect(subscription.partitionsHeld).toEqual([0]);
  });

  it('drops a partition as soon as a read finds its lease lost', async () => {
    const clock = new ManualClock();
    const { broker } = leasingBroker([{ leases: [lease(0), lease(1)], members: 1, fair: 4 }]);
    const { subscription, opened } = partitioned(broker, clock);
    await subscription.start();

    opened[1].leased!.lost();
    await settle();

    expect(subscription.partitionsHeld).toEqual([0]);
    expect(opened[1].calls).toEqual(['start', 'stopReading', `drain ${clock.now()}`]);
  });

  it('at shutdown stops every partition, drains them and leaves the group', async () => {
    const clock = new ManualClock();
    const { broker, left } = leasingBroker([{ leases: [lease(0), lease(1)], members: 1, fair: 4 }]);
    const { subscription, opened } = partitioned(broker, clock);
    await subscription.start();

    subscription.stopReading();
    await subscription.drain(clock.now() + 5000);

    expect(left).toEqual(['me']);
    for (const p of opened) expect(p.calls).toContain(`drain ${clock.now() + 5000}`);
    // No turn runs any more.
    await clock.advance(10 * TURN);
    expect(opened).toHaveLength(2);
  });

  it('goes on taking turns after a turn failed, and retries a partition that failed to start', async () => {
    const clock = new ManualClock();
    const shares: PartitionShare[] = [
      { leases: [lease(0)], members: 1, fair: 4 },
      { leases: [lease(0), lease(1)], members: 1, fair: 4 },
      { leases: [lease(0), lease(1)], members: 1, fair: 4 },
    ];
    let calls = 0;
    const broker = {
      name: 'default',
      capabilities: { partitionLeases: true },
      balancePartitions: async () => {
        if (calls++ === 0) throw new Error('Redis away');
        return shares.shift()!;
      },
    } as unknown as Broker & PartitionLeases;
    const opened: FakePartition[] = [];
    let failNext = false;
    const subscription = new PartitionedSubscription(
      broker,
      'shop::order',
      4,
      'G',
      SETTINGS,
      'me',
      TTL,
      (stream, reading) => {
        const partition = new FakePartition(stream, reading);
        if (failNext) {
          failNext = false;
          partition.start = async () => {
            throw new Error('group not created');
          };
        }
        opened.push(partition);
        return partition;
      },
      clock,
    );

    await subscription.start(); // the first turn fails: nothing read yet
    expect(subscription.partitionsHeld).toEqual([]);
    await clock.advance(TURN);
    await settle();
    expect(subscription.partitionsHeld).toEqual([0]);
    failNext = true;
    await clock.advance(TURN);
    await settle();
    expect(subscription.partitionsHeld).toEqual([0]);
    await clock.advance(TURN);
    await settle();
    expect(subscription.partitionsHeld).toEqual([0, 1]);
    subscription.stopReading();
  });

  it('on a broker without leases reads every partition itself', async () => {
    const clock = new ManualClock();
    const broker = { name: 'inline', capabilities: {} } as unknown as Broker;
    const { subscription, opened } = partitioned(broker, clock);

    await subscription.start();

    expect(opened.map((p) => p.stream)).toEqual([0, 1, 2, 3].map((k) => `shop::order#${k}`));
    expect(opened.every((p) => p.leased === undefined)).toBe(true);
  });
});
