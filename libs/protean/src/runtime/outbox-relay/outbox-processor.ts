import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import type { BrokerLookup } from '../../ports/broker/broker-lookup.js';
import type { Broker } from '../../ports/broker/broker.port.js';
import type { ProteanConfig } from '../../core/config/config.schema.js';
import { backoffDelay } from '../../core/async/exponential-backoff.js';
import { BROKER_REGISTRY, OUTBOX_STORE, PROTEAN_CONFIG } from '../../core/protean.tokens.js';
import type {
  ClaimedMessage,
  FailedAttempt,
  OutboxLease,
  OutboxStore,
} from '../../ports/outbox/outbox-store.port.js';
import { failedAttempts } from './failed-attempts.js';
import { OutboxWakeup } from '../../application/outbox-wakeup.js';
import { HopObservers } from '../../model/hop-observers.js';
import { publishInOrder, type PublishOutcome } from './publish-in-order.js';
import { endSends, startSends } from './send-spans.js';
import { StreamPartitions } from '../../core/messages/stream-partitions.js';
import { assertPartitionRouting } from '../../application/partition-routing.js';
import { ConfigurationError } from '../../core/config/configuration.error.js';
import { WakeSignal } from '../../core/async/wake-signal.js';
import { settlesWithin } from '../../core/async/with-timeout.js';
import { messageOf } from '../../core/errors/error-message.js';

/** The part of the broker port the processor uses. */
export type OutboxBroker = Pick<Broker, 'name' | 'capabilities' | 'publishBatch'>;

/** What one claim–publish–mark cycle did. */
export interface OutboxBatchReport {
  readonly claimed: number;
  readonly published: number;
  /** Failed and scheduled for another attempt. */
  readonly failed: number;
  /** Failed for the last time. */
  readonly abandoned: number;
  /** Handed back unattempted, behind a failed row of their stream. */
  readonly held: number;
}

/** A batch that went to the broker, before its outcome is recorded. */
interface PublishedBatch {
  readonly claimed: number;
  readonly outcome: PublishOutcome;
  readonly attempts: FailedAttempt[];
}

const NOTHING: OutboxBatchReport = { claimed: 0, published: 0, failed: 0, abandoned: 0, held: 0 };
/**
 * How long the outcome of rows published after commit waits for company before it is recorded:
 * marking them is not on any message's way (the rows are at the broker already), so one
 * statement marks what several batches published.
 */
const RECORD_LINGER_MS = 20;
/** How soon a relay woken for rows it found held looks again. */
const RECHECK_MS = 25;
/** A `tick_interval` of 0 still leaves this much between empty polls. */
const MIN_IDLE_MS = 10;
const MAX_ERROR_DELAY_MS = 30_000;
/** While the broker is unreachable, it is tried this often at most: the first tries are sooner. */
const MAX_UNAVAILABLE_DELAY_MS = 2_000;

/**
 * The outbox relay. It claims due rows under a lease, publishes each batch to the broker in
 * one round trip, then marks them published — or schedules a retry with exponential backoff,
 * and abandons a row after `outbox.retry.max_attempts`. Delivery is at least once: a processor
 * that dies between publishing and marking leaves its rows to be published again by another
 * once the lease expires.
 *
 * It wakes when a unit of work that wrote rows commits (in this process through
 * {@link OutboxWakeup}, in others through the store's `watch`), drains while rows are due, and
 * polls every `outbox.tick_interval` seconds as a fallback. Published and abandoned rows are
 * deleted after their retention, in batches, beside the relay.
 *
 * With `outbox.publish_after_commit` (the default), a processor that relays is also the
 * after-commit publisher of its process: a unit of work's rows that are the first unpublished
 * rows of their streams are written leased to it, and it publishes them as soon as the
 * transaction commits — one round trip to the broker and one to mark them, for every row
 * committed in the same turn of the event loop together. The relay then only sweeps: rows
 * behind an earlier unpublished row of their stream, failed ones, and those of a writer that
 * died before publishing (when their lease expires).
 *
 * A provider of `ProteanModule`, idle until started: `ProteanWorkerModule` starts it in a
 * worker; a process without it (a producer-only API) only writes rows, for the relays — it
 * needs no connection to the broker, as in the chapter.
 */
@Injectable()
export class OutboxProcessor implements OnModuleDestroy {
  /** Names this processor's leases (`locked_by`): host, pid and a random suffix. */
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** Where each row goes: its category's stream, or its aggregate's partition. */
  private readonly streams: StreamPartitions;
  /** The partition routing check, kept once it passed. */
  private routing: Promise<void> | undefined;
  private readonly logger = new Logger(OutboxProcessor.name);
  private readonly signal = new WakeSignal({ keepUnheard: true });
  private readonly cleanupSignal = new WakeSignal({ keepUnheard: true });
  private readonly unsubscribers: Array<() => unknown> = [];
  private broker?: OutboxBroker;
  private running = false;
  private loops: Promise<void>[] = [];
  private counters = { published: 0, failed: 0, abandoned: 0 };
  /** Committed rows leased to this process at append, waiting to be published. */
  private readonly committed: ClaimedMessage[] = [];
  private publishingCommitted?: Promise<void>;
  /** Published committed rows whose outcome is not yet recorded, and the recording in flight. */
  private unrecorded?: PublishedBatch;
  private recordingCommitted?: Promise<void>;
  /** No lease is taken at append before this time (epoch ms): the broker was unreachable. */
  private afterCommitPausedUntil = 0;
  /** Whether the last after-commit publish found the broker unreachable (said once per outage). */
  private afterCommitOutage = false;
  /** Streams with a row that failed or was handed back by the after-commit publisher, until when. */
  private readonly failedStreams = new Map<string, number>();

  constructor(
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    @Inject(OUTBOX_STORE) private readonly store: OutboxStore,
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerLookup<OutboxBroker>,
    private readonly wakeup: OutboxWakeup,
    /** Told each published row's age (hop `commit_to_published`); nobody when absent. */
    @Optional() private readonly hops: HopObservers = new HopObservers(),
  ) {
    this.streams = new StreamPartitions(config.streams);
  }

  /** Whether the relay loop runs (between `start()` and `stop()`). */
  get isRunning(): boolean {
    return this.running;
  }

  /** Rows published, failed and abandoned by this processor since it was created. */
  get totals(): Readonly<{ published: number; failed: number; abandoned: number }> {
    return { ...this.counters };
  }

  /**
   * Makes this processor publish what its own process commits right after the commit, with
   * `outbox.publish_after_commit` (see the class comment). `start()` calls it: a process that
   * relays publishes its own commits; a producer-only process leaves every row to the relays.
   */
  publishOwnCommits(): void {
    if (!this.config.enable_outbox || !this.config.outbox.publish_after_commit) return;
    this.wakeup.publishAfterCommitWith({
      lease: () => this.afterCommitLease(),
      publish: (rows) => this.publishCommitted(rows),
    });
  }

  /**
   * Drains, whoever started it: finishes the batch in flight, and publishes what committed
   * here, before connections close at application shutdown.
   */
  async onModuleDestroy(): Promise<void> {
    this.wakeup.publishAfterCommitWith(undefined);
    await this.stop();
    if (this.publishingCommitted || this.recordingCommitted) {
      const graceMs = this.config.server.shutdown_grace_seconds * 1000;
      const drained = (async () => {
        await this.publishingCommitted;
        await this.recordingCommitted;
      })();
      if (!(await settlesWithin(drained, graceMs)))
        this.logger.warn(
          `Committed rows still being published after ${graceMs} ms; their lease will expire`,
        );
    }
  }

  /**
   * Starts relaying. Throws when the configured broker cannot be had, and when this process
   * would publish a partitioned category where its workers do not read
   * ({@link assertPartitionRouting}).
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.broker = this.brokers.get(this.config.outbox.broker);
    try {
      await this.checkRouting(this.broker);
    } catch (error) {
      if (error instanceof ConfigurationError) throw error;
      // The broker is away: the check runs again before the first publish.
      this.logger.warn(`Partition routing not checked yet: ${messageOf(error)}`);
    }
    this.running = true;
    this.publishOwnCommits();
    this.unsubscribers.push(this.wakeup.onSignal(() => this.signal.wake()));
    try {
      this.unsubscribers.push(await this.store.watch(() => this.signal.wake()));
    } catch (error) {
      this.logger.warn(
        `Not notified of commits by other processes (${messageOf(error)}); ` +
          `polling every ${this.config.outbox.tick_interval} s`,
      );
    }
    this.loops = [this.relay(), this.cleanUp()];
    const { broker, messages_per_tick, tick_interval } = this.config.outbox;
    this.logger.log(
      `Outbox processor ${this.owner} publishing to broker "${broker}" ` +
        `(${messages_per_tick} rows per batch, tick ${tick_interval} s)`,
    );
  }

  /**
   * Stops claiming and waits for the batch in flight to be published and marked, at most
   * `server.shutdown_grace_seconds`; rows still leased after that are taken over by another
   * processor when their lease expires.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeup.publishAfterCommitWith(undefined);
    this.signal.wake();
    this.cleanupSignal.wake();
    const graceMs = this.config.server.shutdown_grace_seconds * 1000;
    const drained = await settlesWithin(Promise.all(this.loops), graceMs);
    if (!drained) {
      this.logger.warn(`Outbox batch still in flight after ${graceMs} ms; its lease will expire`);
    }
    for (const unsubscribe of this.unsubscribers.splice(0)) await unsubscribe();
  }

  /** The lease rows are appended under, unless publishing after commit is paused. */
  private afterCommitLease(): OutboxLease | undefined {
    if (Date.now() < this.afterCommitPausedUntil) return undefined;
    return { owner: this.owner, seconds: this.config.outbox.lease_seconds };
  }

  /** Queues committed rows; those of one turn of the event loop are published together. */
  private publishCommitted(rows: readonly ClaimedMessage[]): void {
    this.committed.push(...rows);
    this.publishingCommitted ??= this.drainCommitted().catch((error: unknown) => {
      // What is left stays leased, and goes to a relay when the lease expires.
      this.publishingCommitted = undefined;
      this.logger.error(`Publishing committed rows stopped (${messageOf(error)})`);
    });
  }

  /**
   * Publishes the committed rows, batch by batch: what commits while one batch is at the
   * broker goes in the next. A row that fails is handled as the relay handles it — retried
   * later, or handed back when the broker is unreachable, in which case rows are written
   * unleased for a while and the relay waits the outage out. Rows of its stream committed
   * behind it may already be leased here (see `OutboxStore.append`): for a lease's length they
   * are handed back unpublished, so that none overtakes it.
   */
  private async drainCommitted(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (;;) {
      // Decided in the same turn as the check: rows queued from here on start a new drain.
      if (this.committed.length === 0) {
        this.publishingCommitted = undefined;
        return;
      }
      const rows = this.committed.splice(0);
      this.forgetOldFailures();
      const behindFailures = rows.filter((row) => this.failedStreams.has(row.stream));
      const toPublish = rows.filter((row) => !this.failedStreams.has(row.stream));
      const batch = await this.publish(toPublish).catch((error: unknown): PublishedBatch => {
        this.logger.error(`Publishing committed rows failed (${messageOf(error)})`);
        return {
          claimed: toPublish.length,
          outcome: { published: [], failed: [], held: toPublish },
          attempts: [],
        };
      });
      const { outcome } = batch;
      // The rows behind a failure were not offered: they are handed back with the held ones.
      outcome.held.push(...behindFailures);
      const until = Date.now() + this.config.outbox.lease_seconds * 1000;
      for (const row of [...outcome.held, ...outcome.failed.map((failure) => failure.message)])
        this.failedStreams.set(row.stream, until);
      if (outcome.unavailable !== undefined) this.pauseAfterCommit(outcome.unavailable);
      else this.afterCommitOutage = false;
      this.recordCommitted(batch);
    }
  }

  /**
   * Records the outcome of published committed rows, one statement at a time: what is
   * published meanwhile is recorded together next, so marking costs a round trip per several
   * batches, not per batch. A processor woken by a commit behind these rows is woken again by
   * their marking (see the store's `markPublished`).
   */
  private recordCommitted(batch: PublishedBatch): void {
    this.unrecorded = this.unrecorded ? mergeBatches(this.unrecorded, batch) : batch;
    this.recordingCommitted ??= this.pumpRecords();
  }

  private async pumpRecords(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, RECORD_LINGER_MS));
      const batch = this.unrecorded;
      // Decided in the same turn as the check, as in drainCommitted.
      if (!batch) {
        this.recordingCommitted = undefined;
        return;
      }
      this.unrecorded = undefined;
      try {
        await this.record(batch);
      } catch (error) {
        // The rows stay leased and are published again when the lease expires.
        this.logger.error(`Recording published rows failed (${messageOf(error)})`);
      }
      // Rows handed back or failed are the relay's now.
      if (batch.outcome.held.length > 0 || batch.attempts.length > 0) this.signal.wake();
    }
  }

  /**
   * The broker could not be reached: rows are written unleased for a while, for the relay, and
   * the first time in an outage it is said once.
   */
  private pauseAfterCommit(reason: string): void {
    this.afterCommitPausedUntil = Date.now() + MAX_UNAVAILABLE_DELAY_MS;
    if (this.afterCommitOutage) return;
    this.afterCommitOutage = true;
    this.logger.warn(
      `Broker unreachable (${reason}); committed rows are left in the outbox for the relay, ` +
        `publishing after commit is tried again every ${MAX_UNAVAILABLE_DELAY_MS / 1000} s`,
    );
  }

  /** Forgets the streams whose failure is older than a lease. */
  private forgetOldFailures(): void {
    const now = Date.now();
    for (const [stream, until] of this.failedStreams)
      if (until <= now) this.failedStreams.delete(stream);
  }

  /** Looks for due rows now instead of at the next tick. */
  wake(): void {
    this.signal.wake();
  }

  /** One cycle: claim a batch, publish it, record the outcome of every row. */
  async processBatch(): Promise<OutboxBatchReport> {
    const batch = await this.claimAndPublish();
    return batch ? this.record(batch) : NOTHING;
  }

  /** Deletes published and abandoned rows past their retention; resolves to how many. */
  cleanup(): Promise<number> {
    const { published_retention_hours, abandoned_retention_hours, batch_size } =
      this.config.outbox.cleanup;
    return this.store.cleanup({
      publishedRetentionSeconds: published_retention_hours * 3600,
      abandonedRetentionSeconds: abandoned_retention_hours * 3600,
      batchSize: batch_size,
    });
  }

  private report(
    claimed: number,
    outcome: PublishOutcome,
    attempts: readonly FailedAttempt[],
  ): OutboxBatchReport {
    const abandoned = attempts.filter((attempt) => attempt.abandon);
    const failed = attempts.length - abandoned.length;
    this.counters.published += outcome.published.length;
    this.counters.failed += failed;
    this.counters.abandoned += abandoned.length;
    this.logger.debug(
      `Outbox batch: ${claimed} claimed, ${outcome.published.length} published, ` +
        `${outcome.held.length} held back, ${attempts.length} failed`,
    );
    if (failed > 0) {
      this.logger.warn(
        `Publishing ${failed} outbox row(s) failed (${attempts[0].error}); they will be retried`,
      );
    }
    for (const attempt of abandoned) {
      this.logger.error(
        `Outbox row ${attempt.id} abandoned after ${this.config.outbox.retry.max_attempts} ` +
          `attempts: ${attempt.error}; requeue with \`npm run protean -- outbox retry-abandoned\``,
      );
    }
    return {
      claimed,
      published: outcome.published.length,
      failed,
      abandoned: abandoned.length,
      held: outcome.held.length,
    };
  }

  /** Claims due rows and publishes them; `undefined` when none is due. */
  private async claimAndPublish(): Promise<PublishedBatch | undefined> {
    const broker = (this.broker ??= this.brokers.get(this.config.outbox.broker));
    const { messages_per_tick, lease_seconds } = this.config.outbox;
    const claimed = await this.store.claim(this.owner, messages_per_tick, lease_seconds);
    if (claimed.length === 0) return undefined;
    return this.publish(claimed, broker);
  }

  /** The outbox broker's provider: the `messaging.system` of the `send` spans. */
  private get brokerProvider(): string {
    return this.config.brokers[this.config.outbox.broker]?.provider ?? 'unknown';
  }

  /**
   * Publishes leased rows in order, timing each published row's hop `commit_to_published`;
   * each row a traced unit of work wrote gets its span `send <stream>`.
   */
  private async publish(
    rows: ClaimedMessage[],
    broker = (this.broker ??= this.brokers.get(this.config.outbox.broker)),
  ): Promise<PublishedBatch> {
    if (rows.length === 0)
      return { claimed: 0, outcome: { published: [], failed: [], held: [] }, attempts: [] };
    await this.checkRouting(broker);
    const sends = startSends(rows, this.streams, this.brokerProvider);
    const outcome = await publishInOrder(
      rows,
      (messages) => broker.publishBatch(messages),
      this.streams,
    );
    if (sends) endSends(sends, outcome);
    const publishedAt = Date.now();
    for (const message of outcome.published)
      this.hops.hop('commit_to_published', Math.max(0, publishedAt - message.createdAt));
    const attempts = failedAttempts(outcome.failed, this.config.outbox.retry);
    return { claimed: rows.length, outcome, attempts };
  }

  /**
   * {@link assertPartitionRouting}, once it has passed; until then before every publish, so that
   * rows wait (leased, their attempts uncounted) rather than go where no worker reads.
   */
  private checkRouting(broker: OutboxBroker): Promise<void> {
    this.routing ??= assertPartitionRouting(broker, this.streams).catch((error: unknown) => {
      this.routing = undefined;
      throw error;
    });
    return this.routing;
  }

  /** Marks what was published, schedules retries, hands held rows back. */
  private async record(batch: PublishedBatch): Promise<OutboxBatchReport> {
    const { outcome, attempts } = batch;
    await Promise.all([
      this.store.markPublished(
        this.owner,
        outcome.published.map((message) => message.id),
      ),
      this.store.markFailed(this.owner, attempts),
      this.store.release(
        this.owner,
        outcome.held.map((message) => message.id),
      ),
    ]);
    return this.report(batch.claimed, outcome, attempts);
  }

  /**
   * The loop. While a backlog drains, batch n is marked while batch n+1 is claimed and
   * published (one batch recording at a time). That overlap is safe: rows of batch n stay
   * leased until marked, so the next claim holds back any later row of their streams.
   */
  private async relay(): Promise<void> {
    const idleMs = Math.max(MIN_IDLE_MS, this.config.outbox.tick_interval * 1000);
    let recording: Promise<unknown> = Promise.resolve();
    let errors = 0;
    let outage = 0;
    let woken = false;
    while (this.running) {
      try {
        const batch = await this.claimAndPublish();
        await recording;
        errors = 0;
        if (batch) {
          recording = this.record(batch).catch((error: unknown) => {
            // The rows stay leased and are published again when the lease expires.
            this.logger.error(`Recording an outbox batch failed (${messageOf(error)})`);
          });
          if (batch.outcome.unavailable !== undefined) {
            outage += 1;
            await recording;
            await this.signal.sleep(this.waitOutOutage(outage, batch.outcome.unavailable));
            continue;
          }
          if (outage > 0) this.logger.log('Broker reachable again; publishing the outbox');
          outage = 0;
          // A batch that found rows may have left more behind: drain before resting.
          continue;
        }
      } catch (error) {
        await recording;
        errors += 1;
        const delay = backoffDelay(
          { baseMs: idleMs, maxMs: MAX_ERROR_DELAY_MS, jitter: 0 },
          errors + 1,
        );
        this.logger.error(`Outbox relay failed (${messageOf(error)}); next try in ${delay} ms`);
        await this.signal.sleep(delay);
        continue;
      }
      if (!this.running) break;
      // Woken for rows it then found held behind a row still being marked published (by a
      // writer that publishes after commit): look once more shortly, rather than at the tick.
      if (woken && idleMs > RECHECK_MS) {
        woken = false;
        await this.signal.sleep(RECHECK_MS);
        continue;
      }
      const sleptAt = Date.now();
      await this.signal.sleep(idleMs);
      woken = Date.now() - sleptAt < idleMs;
    }
    await recording;
  }

  /** Says once per outage that rows wait in the outbox; returns the pause before the next try. */
  private waitOutOutage(tries: number, reason: string): number {
    const delay = backoffDelay(
      { baseMs: 100, maxMs: MAX_UNAVAILABLE_DELAY_MS, jitter: 0 },
      tries + 1,
    );
    if (tries === 1) {
      this.logger.warn(
        `Broker unreachable (${reason}); outbox rows wait, no attempt counted, ` +
          `trying again every ${MAX_UNAVAILABLE_DELAY_MS / 1000} s at most`,
      );
    }
    return delay;
  }

  private async cleanUp(): Promise<void> {
    const { enabled, interval_seconds } = this.config.outbox.cleanup;
    if (!enabled) return;
    while (this.running) {
      try {
        const deleted = await this.cleanup();
        if (deleted > 0) this.logger.log(`Outbox cleanup deleted ${deleted} row(s)`);
      } catch (error) {
        this.logger.warn(`Outbox cleanup failed (${messageOf(error)}); trying again later`);
      }
      if (this.running) await this.cleanupSignal.sleep(interval_seconds * 1000);
    }
  }
}

/** Two batches' outcomes as one, for one recording. */
function mergeBatches(a: PublishedBatch, b: PublishedBatch): PublishedBatch {
  return {
    claimed: a.claimed + b.claimed,
    outcome: {
      published: [...a.outcome.published, ...b.outcome.published],
      failed: [...a.outcome.failed, ...b.outcome.failed],
      held: [...a.outcome.held, ...b.outcome.held],
      unavailable: a.outcome.unavailable ?? b.outcome.unavailable,
    },
    attempts: [...a.attempts, ...b.attempts],
  };
}
