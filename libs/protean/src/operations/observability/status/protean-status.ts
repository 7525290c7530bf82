import { Inject, Injectable } from '@nestjs/common';
import type { BrokerRegistry } from '../../../adapters/brokers/broker-registry.js';
import {
  deadLetterStream,
  type Broker,
  type GroupInfo,
  type WorkerPresence,
  type StreamInfo,
} from '../../../ports/broker/broker.port.js';
import type { Database } from '../../../ports/database/database.port.js';
import type { EventStore } from '../../../ports/event-store/event-store.port.js';
import type { OutboxStore } from '../../../ports/outbox/outbox-store.port.js';
import {
  BROKER_REGISTRY,
  DATABASE,
  EVENT_STORE,
  OUTBOX_STORE,
} from '../../../core/protean.tokens.js';
import { DependencyProbe } from '../../../runtime/server/dependency-probe.js';
import { ProteanEngine } from '../../../runtime/server/protean-engine.js';
import {
  SubscriptionPlan,
  type PlannedSubscription,
} from '../../../runtime/server/subscription-plan.js';
import type {
  BrokerStatus,
  StatusSnapshot,
  StreamStatus,
  SubscriptionState,
} from './status-snapshot.js';
import { messageOf } from '../../../core/errors/error-message.js';
import { hasWorkerRegistry } from '../../../ports/broker/broker-roles.js';

/** Callers within this many ms share one snapshot (one scrape reads each stream once). */
const SHARED_FOR_MS = 500;

/**
 * Takes the operational state of the application from the shared truths — the broker (streams,
 * groups, lag, pending, dead letters), the database and the outbox — so every process that has
 * the domain (API, worker, CLI) reports the same numbers for all workers together. The
 * subscriptions are the {@link SubscriptionPlan} the engine runs; the dependencies and their
 * timeout are the {@link DependencyProbe}'s, so a dependency that is down is reported as down
 * rather than failing the rest.
 */
@Injectable()
export class ProteanStatus {
  private shared: { at: number; snapshot: Promise<StatusSnapshot> } | undefined;

  constructor(
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerRegistry,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(OUTBOX_STORE) private readonly outbox: OutboxStore,
    private readonly plan: SubscriptionPlan,
    private readonly probe: DependencyProbe,
    private readonly engine: ProteanEngine,
  ) {}

  /** The subscriptions of this application (see {@link SubscriptionPlan}). */
  subscriptions(): PlannedSubscription[] {
    return this.plan.subscriptions();
  }

  /** The names of the brokers the subscriptions and the outbox use. */
  brokerNames(): string[] {
    return this.probe.brokerNames();
  }

  /** The broker of that name. */
  broker(name: string): Broker {
    return this.brokers.get(name);
  }

  /** A snapshot, shared with other callers of the last half second. */
  snapshot(): Promise<StatusSnapshot> {
    const now = Date.now();
    if (!this.shared || now - this.shared.at > SHARED_FOR_MS) {
      const snapshot = this.take();
      this.shared = { at: now, snapshot };
      snapshot.catch(() => (this.shared = undefined));
    }
    return this.shared.snapshot;
  }

  private async take(): Promise<StatusSnapshot> {
    const plan = this.subscriptions();
    const [database, eventStore, brokers, outbox] = await Promise.all([
      this.probe.probe('database'),
      this.probe.probe('event_store'),
      Promise.all(this.brokerNames().map((name) => this.brokerStatus(name))),
      this.outboxStats(),
    ]);
    const up = new Set(brokers.filter((b) => b.up).map((b) => b.name));
    const [streams, workers] = await Promise.all([
      this.streamStatuses(plan, up),
      this.runningWorkers(up),
    ]);
    const servedBy = (handler: string) =>
      workers &&
      workers.filter((worker) => worker.handlers.includes(handler)).map((w) => w.consumer);
    return {
      takenAt: new Date().toISOString(),
      database: { provider: this.database.provider, ...database },
      eventStore: { provider: this.eventStore.provider, ...eventStore },
      brokers,
      engine: this.engine.state,
      streams,
      subscriptions: [
        ...plan.map((s) => stateOf(s, streams)),
        ...unplannedGroups(plan, streams),
      ].map((state) => ({ ...state, workers: servedBy(state.handler) })),
      workers,
      outbox,
    };
  }

  private async brokerStatus(name: string): Promise<BrokerStatus> {
    let broker: Broker;
    try {
      broker = this.brokers.get(name);
    } catch (error) {
      return { name, provider: 'unknown', deadLetters: false, up: false, error: messageOf(error) };
    }
    const probe = await this.probe.probe(`broker:${name}`);
    return {
      name,
      provider: broker.provider,
      deadLetters: broker.capabilities.deadLetters,
      ...probe,
    };
  }

  private async streamStatuses(
    plan: readonly PlannedSubscription[],
    brokersUp: ReadonlySet<string>,
  ): Promise<StreamStatus[]> {
    const keys = new Map<string, { broker: string; stream: string }>();
    for (const { broker, stream, type } of plan) {
      if (type === 'stream' && broker && brokersUp.has(broker))
        keys.set(`${broker}\n${stream}`, { broker, stream });
    }
    const statuses = await Promise.all(
      [...keys.values()].map(({ broker, stream }) => this.streamStatus(broker, stream)),
    );
    return statuses.filter((status): status is StreamStatus => status !== undefined);
  }

  private async streamStatus(name: string, stream: string): Promise<StreamStatus | undefined> {
    const broker = this.brokers.get(name);
    try {
      const [info, dlq] = await Promise.all([
        this.probe.bounded(broker.streamInfo(stream), `stream ${stream}`),
        broker.capabilities.deadLetters
          ? this.probe.bounded<StreamInfo | undefined>(
              broker.streamInfo(deadLetterStream(stream)),
              `stream ${deadLetterStream(stream)}`,
            )
          : Promise.resolve(undefined),
      ]);
      return {
        broker: name,
        stream,
        length: info.length,
        deadLetters: dlq ? dlq.length : null,
        groups: info.groups,
      };
    } catch {
      return undefined; // reported through the broker's own probe
    }
  }

  /**
   * The workers announced on the brokers that are up and keep a registry, each once; `null`
   * when none keeps one (or none answered), since then nothing can be said of who serves what.
   */
  private async runningWorkers(brokersUp: ReadonlySet<string>): Promise<WorkerPresence[] | null> {
    const registries = [...brokersUp]
      .map((name) => this.brokers.get(name))
      .filter(hasWorkerRegistry);
    const answers = await Promise.allSettled(
      registries.map((broker) => this.probe.bounded(broker.runningWorkers(), 'running workers')),
    );
    const lists = answers.flatMap((answer) =>
      answer.status === 'fulfilled' ? [answer.value] : [],
    );
    if (lists.length === 0) return null;
    const byConsumer = new Map(lists.flat().map((worker) => [worker.consumer, worker]));
    return [...byConsumer.values()].sort((a, b) => a.consumer.localeCompare(b.consumer));
  }

  private async outboxStats(): Promise<StatusSnapshot['outbox']> {
    try {
      return { stats: await this.probe.bounded(this.outbox.stats(), 'outbox stats') };
    } catch (error) {
      return { stats: null, error: messageOf(error) };
    }
  }
}

/** Groups at the broker on the streams read here that no subscription of this application is. */
function unplannedGroups(
  plan: readonly PlannedSubscription[],
  streams: readonly StreamStatus[],
): Array<Omit<SubscriptionState, 'workers'>> {
  const planned = new Set(plan.map((s) => `${s.broker}\n${s.stream}\n${s.handler}`));
  return streams.flatMap((stream) =>
    stream.groups
      .filter((group) => !planned.has(`${stream.broker}\n${stream.stream}\n${group.name}`))
      .map((group) =>
        stateOf(
          {
            handler: group.name,
            stream: stream.stream,
            type: 'stream',
            profile: null,
            broker: stream.broker,
          },
          streams,
          false,
        ),
      ),
  );
}

function stateOf(
  subscription: PlannedSubscription,
  streams: readonly StreamStatus[],
  planned = true,
): Omit<SubscriptionState, 'workers'> {
  const stream = streams.find(
    (s) => s.broker === subscription.broker && s.stream === subscription.stream,
  );
  const group = stream?.groups.find((g) => g.name === subscription.handler);
  return {
    ...subscription,
    planned,
    lag: group?.lag ?? null,
    pending: group ? group.pending : null,
    processed: group ? processedBy(group) : null,
  };
}

/** Entries a group has finished; a group that was never delivered anything finished none. */
function processedBy(group: GroupInfo): number | null {
  if (group.entriesRead !== undefined) return Math.max(0, group.entriesRead - group.pending);
  // Redis reports no entries-read for a group that has not read yet.
  return group.pending === 0 && group.lastDeliveredId === '0-0' ? 0 : null;
}
