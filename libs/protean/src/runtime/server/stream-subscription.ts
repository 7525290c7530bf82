import { Logger } from '@nestjs/common';
import type { Broker, ReceivedMessage } from '../../ports/broker/broker.port.js';
import { deadLettersOf, hasPendingEntries } from '../../ports/broker/broker-roles.js';
import { streamIdTimeMs } from '../../ports/broker/stream-id.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { backoffDelay } from '../../core/async/exponential-backoff.js';
import { HeldMessages } from './held-messages.js';
import { WakeSignal } from '../../core/async/wake-signal.js';
import { SYSTEM_CLOCK, type Clock } from '../../core/async/clock.js';
import { settlesWithin } from '../../core/async/with-timeout.js';
import { KeyedWorkQueue, type RetryLater } from './keyed-work-queue.js';
import type { DecodedMessage, MessageProcessor } from './message-processor.js';
import { isPermanentFailure, isWorldFailure } from './failure-classification.js';
import type { ResolvedSubscriptionSettings } from '../../core/config/subscription-profiles.js';
import { NO_OBSERVER, type SubscriptionObserver } from './subscription-observer.js';
import { describeError } from '../../core/errors/error-message.js';
import type { Subscription } from './subscription.js';
import type { ConflictRetryOptions } from '../../application/retry-on-conflict.js';
import { PartitionLeaseLostError } from '../../ports/broker/partition-lease-lost.error.js';
import type { ConcurrencySlots } from './concurrency-slots.js';
import { context } from '@opentelemetry/api';
import { failSpan } from '../../core/tracing/protean-tracer.js';
import { startDelivery, type DeliverySource, type DeliverySpan } from './delivery-span.js';

/** What the subscription of one partition of a {@link PartitionedSubscription} shares and reads under. */
export interface PartitionReading {
  /** The lease it reads under; none on a broker without partition leases. */
  readonly leased?: LeasedReading;
  /** The handler's `concurrency`, shared by every partition this worker holds of it. */
  readonly slots: ConcurrencySlots;
}

/**
 * How the subscription of one partition reads under its lease: before any new entry it takes
 * over every entry of the group still pending on the partition, whoever holds it, so that an
 * aggregate's older messages are handled before its newer ones even when they were left with a
 * consumer that lost the partition.
 */
export interface LeasedReading {
  /** New entries under the lease; rejects with {@link PartitionLeaseLostError} once it is lost. */
  read(count: number, blockMs: number): Promise<ReceivedMessage[]>;
  /** Told once, when a read found the lease lost: the subscription has stopped reading. */
  lost(): void;
}

/** One message on its way through the subscription. */
interface Work {
  message: ReceivedMessage;
  readonly decoded?: DecodedMessage;
  /** Set when the message must go to the dead-letter stream (decode failure, exhausted retries). */
  deadLetterReason?: unknown;
  /** Set once it has been tried: the next run first claims it again, raising its delivery count. */
  tried?: boolean;
  /** When a read returned it (`performance.now()`); unset when taken over from another consumer. */
  readonly readAt?: number;
}

const READ_ERROR_PAUSE_MS = 1000;
/** How the log lines name a message's attempt. */
const attemptOf = (work: Work) => `attempt ${work.message.deliveryCount}`;
/**
 * How long a finished message's ack waits for company. Handlers that finish one per turn of
 * the event loop (each in its own database transaction) would otherwise cost an XACK round
 * trip each; a short linger sends the acks of several turns in one. A crash inside the window
 * only means a redelivery, which the processed-message record makes harmless.
 */
export const ACK_LINGER_MS = 5;
const RETRY_JITTER = 0.2;

/**
 * Consumes one stream for one handler (one consumer group): reads in batches with a bounded
 * blocking read, runs messages with bounded concurrency but never two of one aggregate at
 * once, acknowledges in pipelined batches after success, retries failures after exponential
 * backoff with jitter — counting attempts by the broker's delivery count, so the count
 * survives a restart — and dead-letters what keeps failing, acknowledging it only once the
 * dead letter is written. It takes over messages left pending by stopped consumers, and keeps
 * the messages it holds from being taken over while they wait or run (their idle time is reset
 * without counting a delivery). Concurrency conflicts are retried in place, spending no
 * attempt. A permanent failure is dead-lettered at once; a circuit breaker pauses reading after
 * consecutive failures of the world (database or broker unavailable), never for a message's own.
 */
export class StreamSubscription implements Subscription {
  private readonly logger: Logger;
  private readonly queue: KeyedWorkQueue<Work>;
  private readonly breaker: CircuitBreaker;
  private readonly sleeper: WakeSignal;
  private readonly held: HeldMessages;
  /** Aborted when the shutdown grace is over: in-place conflict retries stop there. */
  private readonly abandon = new AbortController();
  /** How every message retries its concurrency conflicts: for the budget, or until abandoned. */
  private readonly conflicts: ConflictRetryOptions;
  private readonly pendingAcks = new Set<string>();
  private cancelAckTimer?: () => void;
  private wakeScheduled = false;
  private acking: Promise<void> = Promise.resolve();
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private lastReclaimAt = 0;
  /** Under a lease: the partition's pending entries are still being taken over. */
  private takingOver: boolean;
  private readonly leased: LeasedReading | undefined;
  /**
   * The `debug` profile (verbose logging for development): each message's receipt, outcome
   * with its duration, and ack, one `info` line each — whatever the global log level's
   * `debug` lines do. The messages traced, by entry id, await their ack line.
   */
  private readonly tracing: boolean;
  private readonly traced = new Map<string, string>();
  /** What each attempt's span (`process <stream>`) is made of. */
  private readonly spans: DeliverySource;

  constructor(
    private readonly broker: Broker,
    private readonly processor: MessageProcessor,
    readonly settings: ResolvedSubscriptionSettings,
    readonly consumer: string,
    private readonly observer: SubscriptionObserver = NO_OBSERVER,
    private readonly clock: Clock = SYSTEM_CLOCK,
    partition?: PartitionReading,
  ) {
    this.leased = partition?.leased;
    this.takingOver = this.leased !== undefined && hasPendingEntries(broker);
    this.logger = new Logger(`Subscription ${processor.group} ${processor.stream}`);
    this.tracing = settings.subscription_profile === 'debug';
    this.spans = {
      processor,
      consumer,
      provider: broker.provider,
      spanName: `process ${processor.stream}`,
    };
    this.conflicts = {
      budgetMs: settings.max_conflict_retry_seconds * 1000,
      signal: this.abandon.signal,
    };
    this.sleeper = new WakeSignal({}, clock);
    this.queue = new KeyedWorkQueue(
      partition?.slots ?? settings.concurrency,
      (work) => this.handle(work),
      clock,
    );
    this.held = new HeldMessages(
      broker,
      processor.stream,
      processor.group,
      consumer,
      settings.min_idle_ms,
      this.logger,
      clock,
    );
    this.breaker = new CircuitBreaker(
      settings.circuit_breaker_threshold,
      settings.circuit_breaker_reset_seconds * 1000,
      () => clock.now(),
    );
  }

  get group(): string {
    return this.processor.group;
  }

  get stream(): string {
    return this.processor.stream;
  }

  /** Messages held in memory at most: a bound on what a crash leaves for reclaiming. */
  private get capacity(): number {
    return Math.max(this.settings.messages_per_tick, this.settings.concurrency) * 2;
  }

  /** Creates the group (from the start of the stream) and starts reading. */
  async start(): Promise<void> {
    await this.broker.ensureGroup(this.stream, this.group, '0');
    this.logger.debug(`Reading as ${this.consumer} with ${JSON.stringify(this.settings)}`);
    this.running = true;
    this.loopDone = this.loop();
    this.held.start();
  }

  /** Stops reading; the read in progress ends within its block time (or when the broker closes). */
  stopReading(): void {
    this.running = false;
    this.sleeper.wake();
  }

  /**
   * Waits until the messages held are handled, at most until `deadline` (epoch ms); what is
   * left stays unacknowledged at the broker for another consumer. Then flushes acks.
   */
  async drain(deadline: number): Promise<void> {
    const remaining = Math.max(0, deadline - this.clock.now());
    const finished = await settlesWithin(this.queue.idle(), remaining, this.clock);
    if (!finished) {
      this.abandon.abort(new Error('shutdown grace over'));
      const dropped = this.queue.clear();
      this.logger.warn(`Shutdown grace over: ${dropped} message(s) left pending for redelivery`);
    }
    this.held.stop();
    this.queue.close();
    await this.flushAcks();
  }

  /** Resolves when the read loop has ended. */
  stopped(): Promise<void> {
    return this.loopDone;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        if (await this.waitIfPaused()) continue;
        await this.reclaimIfDue();
        const count =
          this.breaker.state === 'half-open'
            ? 1
            : Math.min(this.settings.messages_per_tick, this.capacity - this.queue.size);
        // A take-over may just have filled the buffer: wait for room rather than read nothing.
        if (count < 1) continue;
        if (this.takingOver) {
          await this.takeOverPartition(count);
          continue;
        }
        const messages = this.leased
          ? await this.leased.read(count, this.settings.blocking_timeout_ms)
          : await this.broker.read(this.stream, this.group, this.consumer, {
              count,
              blockMs: this.settings.blocking_timeout_ms,
            });
        this.observeRead(messages);
        this.accept(messages, performance.now());
        if (this.settings.tick_interval > 0)
          await this.sleeper.sleep(this.settings.tick_interval * 1000);
      } catch (error) {
        if (!this.running) break;
        if (error instanceof PartitionLeaseLostError) {
          this.logger.warn(`${error.message}: reading stops here`);
          this.running = false;
          this.leased?.lost();
          break;
        }
        this.logger.warn(
          `Read failed, retrying in ${READ_ERROR_PAUSE_MS} ms: ${describeError(error)}`,
        );
        await this.sleeper.sleep(READ_ERROR_PAUSE_MS);
      }
    }
  }

  /** Pauses for an open breaker, a probe in flight, or a full buffer; true when it paused. */
  private async waitIfPaused(): Promise<boolean> {
    const breakerPause = this.breaker.pauseMs();
    if (breakerPause > 0) {
      await this.sleeper.sleep(breakerPause);
      return true;
    }
    const probing = this.breaker.state === 'half-open' && this.queue.size > 0;
    // Read again once a whole batch fits: reading the one free slot after each message would
    // cost a round trip per message.
    const room = this.capacity - this.queue.size;
    if (probing || room < Math.min(this.settings.messages_per_tick, this.capacity)) {
      await this.sleeper.sleep(1000);
      return true;
    }
    return false;
  }

  private async reclaimIfDue(): Promise<void> {
    const every = Math.max(1000, this.settings.min_idle_ms / 2);
    if (this.clock.now() - this.lastReclaimAt < every) return;
    this.lastReclaimAt = this.clock.now();
    // Nothing is ever pending at a broker without acknowledgements: nothing to take over.
    if (!hasPendingEntries(this.broker)) return;
    const reclaimed = await this.broker.reclaim(this.stream, this.group, this.consumer, {
      minIdleMs: this.settings.min_idle_ms,
      count: Math.max(1, this.capacity - this.queue.size),
    });
    const fresh = reclaimed.filter((message) => !this.held.has(message.id));
    if (fresh.length > 0) this.logger.log(`Took over ${fresh.length} message(s) left pending`);
    this.accept(fresh);
  }

  /**
   * Under a fresh lease: takes over the partition's pending entries, any idle time, oldest
   * first, as room allows; done once a take-over leaves room unused.
   */
  private async takeOverPartition(count: number): Promise<void> {
    if (!hasPendingEntries(this.broker)) return;
    const taken = await this.broker.reclaim(this.stream, this.group, this.consumer, {
      minIdleMs: 0,
      count,
    });
    const fresh = taken.filter((message) => !this.held.has(message.id));
    if (fresh.length > 0)
      this.logger.log(`Took over ${fresh.length} pending message(s) with the partition`);
    this.accept(fresh);
    if (taken.length < count) this.takingOver = false;
  }

  /**
   * Hop `published_to_read` of each entry a read returned: from its id's time to now (the
   * broker's clock against ours; a skew below zero counts as 0).
   */
  private observeRead(messages: readonly ReceivedMessage[]): void {
    if (messages.length === 0) return;
    const now = this.clock.now();
    for (const message of messages) {
      const publishedAt = streamIdTimeMs(message.id);
      if (!Number.isNaN(publishedAt))
        this.observer.hop(
          this.group,
          this.stream,
          'published_to_read',
          Math.max(0, now - publishedAt),
        );
    }
  }

  /** Holds messages for handling; `readAt` when a read returned them (not for a take-over). */
  private accept(messages: readonly ReceivedMessage[], readAt?: number): void {
    for (const message of messages) {
      if (this.held.has(message.id)) continue;
      let decoded: DecodedMessage | undefined;
      try {
        decoded = this.processor.decode(message);
      } catch (error) {
        this.hold(undefined, { message, deadLetterReason: error });
        continue;
      }
      if (decoded) this.hold(decoded.key, { message, decoded, readAt });
      else this.ack(message.id);
    }
  }

  private hold(key: string | undefined, work: Work): void {
    this.held.delivered(work.message.id);
    this.queue.push(key, work);
  }

  private handle(work: Work): Promise<RetryLater | void> {
    return this.attempt(work).then(
      (outcome) => this.settled(work, outcome),
      (error: unknown) => {
        this.logger.error(
          `Unexpected failure handling ${work.message.id}: ${describeError(error)}`,
        );
        return this.settled(work, { retryAfterMs: READ_ERROR_PAUSE_MS });
      },
    );
  }

  private settled(work: Work, outcome: RetryLater | void): RetryLater | void {
    if (!outcome) this.held.release(work.message.id);
    this.wakeReader();
    return outcome;
  }

  /**
   * One attempt at `work` (a retry first claims the message back): its handler run, or its dead
   * letter written, in the attempt's span when something records it — the span ends once the
   * outcome, a dead letter included, is settled. Untraced, this is one async function with no
   * `finally` around its await: on the hot path, that shape is worth a microsecond a message.
   */
  private async attempt(work: Work): Promise<RetryLater | void> {
    const firstAttempt = !work.tried;
    if (work.tried && !(await this.reclaim(work))) return;
    work.tried = true;
    const delivery = startDelivery(this.spans, work.message, work.decoded);
    if (this.tracing) this.logReceived(work);
    if (work.deadLetterReason !== undefined) {
      if (!delivery) return this.deadLetter(work);
      failSpan(delivery.span, work.deadLetterReason);
      return endsSpan(this.deadLetter(work, delivery), delivery);
    }
    const started = performance.now();
    // The first attempt only: a retry's wait is its backoff, not queueing.
    if (firstAttempt && work.readAt !== undefined)
      this.observer.hop(this.group, this.stream, 'read_to_started', started - work.readAt);
    const decoded = work.decoded!;
    try {
      await (delivery
        ? context.with(delivery.active, () => decoded.run(this.conflicts))
        : decoded.run(this.conflicts));
    } catch (error) {
      if (delivery) failSpan(delivery.span, error);
      if (this.tracing) {
        this.logger.log(
          `${this.group} failed ${this.traced.get(work.message.id)} in ` +
            `${(performance.now() - started).toFixed(1)} ms (${attemptOf(work)}): ${describeError(error)}`,
        );
      }
      const outcome = this.onFailure(work, error, delivery);
      return delivery ? endsSpan(outcome, delivery) : outcome;
    }
    this.succeeded(work, started);
    delivery?.span.end();
  }

  /** Takes a retried message back: `false` when it was acknowledged or taken over meanwhile. */
  private async reclaim(work: Work): Promise<boolean> {
    if (!hasPendingEntries(this.broker)) {
      // Nothing is pending at an at-most-once broker: count the attempt here.
      work.message = { ...work.message, deliveryCount: work.message.deliveryCount + 1 };
      return true;
    }
    const [claimed] = await this.broker.claim(this.stream, this.group, this.consumer, [
      work.message.id,
    ]);
    if (!claimed) return false;
    work.message = claimed;
    this.held.delivered(claimed.id);
    return true;
  }

  /** The `debug` profile's line for an attempt starting. */
  private logReceived(work: Work): void {
    const label = `${work.decoded?.type ?? 'undecodable message'} ${work.message.id}`;
    this.traced.set(work.message.id, label);
    this.logger.log(`${this.group} received ${label} (${attemptOf(work)})`);
  }

  /** Records an attempt that succeeded (it ran from `started`), then acknowledges it. */
  private succeeded(work: Work, started: number): void {
    const elapsedMs = performance.now() - started;
    this.observer.processed(this.group, this.stream, elapsedMs);
    this.observer.hop(this.group, this.stream, 'handler', elapsedMs);
    // The line is built only when someone reads it: this runs once per message.
    if (this.tracing || Logger.isLevelEnabled('debug')) {
      const took = `in ${elapsedMs.toFixed(1)} ms (${attemptOf(work)})`;
      if (this.tracing)
        this.logger.log(`${this.group} handled ${this.traced.get(work.message.id)} ${took}`);
      else this.logger.debug(`${work.message.id} handled ${took}`);
    }
    this.breaker.success();
    this.ack(work.message.id);
  }

  private onFailure(
    work: Work,
    error: unknown,
    delivery?: DeliverySpan,
  ): RetryLater | Promise<RetryLater | void> | undefined {
    // Shutdown ended it half-way: it stays pending at the broker for the next consumer.
    if (this.abandon.signal.aborted) return;
    this.observer.failed(this.group, this.stream, error);
    if (isPermanentFailure(error)) {
      work.deadLetterReason = error;
      return this.deadLetter(work, delivery);
    }
    if (isWorldFailure(error)) this.breaker.failure();
    const retriesDone = work.message.deliveryCount - 1;
    if (retriesDone >= this.settings.max_retries) {
      work.deadLetterReason = error;
      return this.deadLetter(work, delivery);
    }
    const delay = backoffDelay(
      {
        baseMs: this.settings.retry_delay_seconds * 1000,
        maxMs: this.settings.max_retry_delay_seconds * 1000,
        jitter: RETRY_JITTER,
      },
      retriesDone + 1,
    );
    this.logger.warn(
      `${work.message.id} failed (attempt ${work.message.deliveryCount} of ${this.settings.max_retries + 1}), ` +
        `retrying in ${delay} ms: ${describeError(error)}`,
    );
    this.observer.retried(this.group, this.stream, delay);
    delivery?.span.addEvent('retry_scheduled', { 'protean.retry.delay_ms': delay });
    return { retryAfterMs: delay };
  }

  /**
   * Writes the dead letter, then acknowledges; if the write fails the message is held, never
   * dropped. The attempt's span gets the event `dead_lettered`, with the reason.
   */
  private async deadLetter(work: Work, delivery?: DeliverySpan): Promise<RetryLater | void> {
    const { message } = work;
    const reason = describeError(work.deadLetterReason);
    if (!this.settings.enable_dlq) {
      this.logger.error(
        `${message.id} given up after ${message.deliveryCount} attempt(s) and acknowledged; ` +
          `dead-lettering is disabled for this subscription: ${reason}`,
      );
      this.ack(message.id);
      return;
    }
    try {
      await deadLettersOf(this.broker, 'write dead letters').deadLetter(this.stream, message.data, {
        originalId: message.id,
        group: this.group,
        consumer: this.consumer,
        error: reason,
        attempts: message.deliveryCount,
        failedAt: new Date().toISOString(),
      });
    } catch (error) {
      this.logger.error(`Could not dead-letter ${message.id}, holding it: ${describeError(error)}`);
      return { retryAfterMs: READ_ERROR_PAUSE_MS * 5 };
    }
    this.logger.warn(
      `${message.id} dead-lettered to ${this.stream}:dlq after ${message.deliveryCount} attempt(s): ${reason}`,
    );
    this.observer.deadLettered(this.group, this.stream, reason);
    delivery?.span.addEvent('dead_lettered', {
      'protean.dead_letter.reason': reason,
      'protean.dead_letter.stream': `${this.stream}:dlq`,
      'protean.attempt': message.deliveryCount,
    });
    this.ack(message.id);
  }

  /**
   * Wakes a reader paused for room (or a tick) once the queue has counted the finished
   * messages of this turn of the event loop: one wake per turn, not one per message.
   */
  private wakeReader(): void {
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    setImmediate(() => {
      this.wakeScheduled = false;
      this.sleeper.wake();
    });
  }

  /**
   * Queues an ack: acks go out together {@link ACK_LINGER_MS} after the first of them, or at
   * once when a whole batch of them is waiting.
   */
  private ack(id: string): void {
    this.pendingAcks.add(id);
    if (this.pendingAcks.size >= this.settings.messages_per_tick) {
      void this.flushAcks();
      return;
    }
    this.cancelAckTimer ??= this.clock.schedule(ACK_LINGER_MS, () => void this.flushAcks());
  }

  private flushAcks(): Promise<void> {
    this.cancelAckTimer?.();
    this.cancelAckTimer = undefined;
    this.acking = this.acking.then(async () => {
      if (this.pendingAcks.size === 0) return;
      const ids = [...this.pendingAcks];
      this.pendingAcks.clear();
      try {
        // At a broker without acknowledgements nothing is pending: there is nothing to send.
        if (hasPendingEntries(this.broker)) await this.broker.ack(this.stream, this.group, ids);
        if (this.tracing) this.traceAcks(ids);
      } catch (error) {
        // Unacknowledged messages are redelivered and deduplicated; keep trying meanwhile.
        for (const id of ids) this.pendingAcks.add(id);
        this.logger.warn(
          `Ack of ${ids.length} message(s) failed, will retry: ${describeError(error)}`,
        );
        this.clock.schedule(READ_ERROR_PAUSE_MS, () => void this.flushAcks(), { unref: true });
      }
    });
    return this.acking;
  }

  /** The `debug` profile's ack lines, for the traced messages among `ids`. */
  private traceAcks(ids: readonly string[]): void {
    for (const id of ids) {
      const label = this.traced.get(id);
      if (label === undefined) continue;
      this.traced.delete(id);
      this.logger.log(`${this.group} acked ${label}`);
    }
  }
}

/** `outcome`, once settled, ends the attempt's span (its events and status set before). */
function endsSpan<T>(outcome: T | Promise<T>, delivery: DeliverySpan): Promise<T> {
  return Promise.resolve(outcome).finally(() => delivery.span.end());
}
