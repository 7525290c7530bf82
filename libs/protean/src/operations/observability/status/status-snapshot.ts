import type { GroupInfo, WorkerPresence } from '../../../ports/broker/broker.port.js';
import type { OutboxStats } from '../../../ports/outbox/outbox-store.port.js';
import type { ProbeResult } from '../../../runtime/server/dependency-probe.js';
import type { EngineState } from '../../../runtime/server/protean-engine.js';
import type { PlannedSubscription } from '../../../runtime/server/subscription-plan.js';

export type { ProbeResult };

export interface ProviderStatus extends ProbeResult {
  readonly provider: string;
}

export interface BrokerStatus extends ProviderStatus {
  readonly name: string;
  /** The broker keeps `<stream>:dlq` dead-letter streams. */
  readonly deadLetters: boolean;
}

/** A broker stream, its consumer groups and its dead-letter stream. */
export interface StreamStatus {
  readonly broker: string;
  readonly stream: string;
  readonly length: number;
  /** Entries on `<stream>:dlq`; `null` where the broker keeps none. */
  readonly deadLetters: number | null;
  readonly groups: readonly GroupInfo[];
}

/** A subscription with its group's numbers at the broker (`null` where unknown). */
export interface SubscriptionState extends PlannedSubscription {
  /**
   * False for a consumer group found at the broker that no handler of this application reads
   * (another application's handler, or one since removed): shown, as it holds messages too.
   */
  readonly planned: boolean;
  /** Entries not yet delivered to the group. */
  readonly lag: number | null;
  /** Entries delivered to the group and not yet acknowledged. */
  readonly pending: number | null;
  /**
   * Entries the group has finished — handled, skipped as not its type, or dead-lettered — by
   * every worker together: the broker's entries-read minus pending.
   */
  readonly processed: number | null;
  /**
   * The running workers (consumer names) that run this handler, from the workers' own
   * announcements; `null` where no broker keeps them. Empty: no running worker serves it.
   */
  readonly workers: readonly string[] | null;
}

/** What the metrics, health checks, the Observatory and the CLI report, taken at one time. */
export interface StatusSnapshot {
  readonly takenAt: string;
  readonly database: ProviderStatus;
  readonly eventStore: ProviderStatus;
  readonly brokers: readonly BrokerStatus[];
  /** The engine of this process (`idle` where it does not run here, as in the API). */
  readonly engine: EngineState;
  readonly streams: readonly StreamStatus[];
  readonly subscriptions: readonly SubscriptionState[];
  /** The running workers and the handlers each runs; `null` where no broker keeps them. */
  readonly workers: readonly WorkerPresence[] | null;
  readonly outbox: { readonly stats: OutboxStats | null; readonly error?: string };
}
