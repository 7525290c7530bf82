import { Logger } from '@nestjs/common';
import type { HandlerRunner, OnceWork } from '../../application/handler-runner.js';
import type { Database } from '../../ports/database/database.port.js';
import type { RegisteredHandler } from '../../model/handler-registry.js';
import type { EventStore, StoredEvent } from '../../ports/event-store/event-store.port.js';
import type { MessageEnvelope, MessageKind } from '../../core/messages/message-envelope.js';
import { instantiate } from '../../core/messages/message-validation.js';
import { categoryOf } from '../../core/messages/stream-names.js';
import { backoffDelay } from '../../core/async/exponential-backoff.js';
import { isPermanentFailure } from './failure-classification.js';
import { WakeSignal } from '../../core/async/wake-signal.js';
import { SYSTEM_CLOCK, type Clock } from '../../core/async/clock.js';
import { settlesWithin } from '../../core/async/with-timeout.js';
import type { ResolvedSubscriptionSettings } from '../../core/config/subscription-profiles.js';
import { NO_OBSERVER, type SubscriptionObserver } from './subscription-observer.js';
import type { Subscription } from './subscription.js';
import { ProjectorBatches } from './projector-batches.js';
import { startStoreDelivery } from './delivery-span.js';
import { failSpan } from '../../core/tracing/protean-tracer.js';
import { context } from '@opentelemetry/api';

/** When a read returned: `at` by `performance.now()`, `time` by the clock. */
interface Read {
  readonly at: number;
  readonly time: number;
}

/** Read model holding each event_store subscription's checkpoint. */
export const POSITIONS_PROJECTION = 'protean_subscription_positions';
const IDLE_POLL_MS = 100;
const ALL_KINDS: ReadonlySet<MessageKind> = new Set(['EVENT', 'COMMAND']);
/** How long a hole in the global positions may be a transaction still committing. */
const GAP_WAIT_MS = 2000;

/**
 * Feeds a handler from the event store by global position, in order, one message at a time —
 * the events, and the async commands the store records beside them (Protean's message store:
 * Command → Message Store → Server → Handler); only messages of `kinds` are delivered (the
 * engine leaves out events processed `sync`, which their handlers ran in the raiser's process),
 * checkpointing its position in the database every `position_update_interval` events. A hole
 * in the positions is waited on briefly (a concurrent transaction may still commit into it),
 * then skipped (a rolled-back one). Failures are retried with backoff; an event still failing
 * after `max_retries` is logged and skipped — there is no dead-letter stream here — and a
 * permanent failure is skipped at once. Concurrency conflicts are retried in place without
 * spending an attempt, as on stream subscriptions. At shutdown an event still in its handler
 * when the grace period ends is left to be delivered again (the checkpoint stays before it).
 * A projector's events of one read run in one unit of work, as on stream subscriptions (see
 * `ProjectorBatches`): when that fails, they are delivered one by one as above.
 */
export class EventStoreSubscription implements Subscription {
  private readonly logger: Logger;
  private readonly sleeper: WakeSignal;
  private readonly categories: Set<string>;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private position = 0;
  private savedPosition = 0;
  private gapSeenAt: { position: number; at: number } | undefined;
  /** Aborted on stop: a conflict retry in progress ends, and its event is delivered again later. */
  private readonly stopping = new AbortController();
  /** Set when the shutdown grace is over: a handler finishing after it moves no checkpoint. */
  private abandoned = false;
  /** A projector's: its reads run in one unit of work each. */
  private readonly batches?: ProjectorBatches;

  constructor(
    private readonly handler: RegisteredHandler,
    private readonly eventStore: EventStore,
    private readonly database: Database,
    private readonly runner: HandlerRunner,
    readonly settings: ResolvedSubscriptionSettings,
    private readonly observer: SubscriptionObserver = NO_OBSERVER,
    private readonly kinds: ReadonlySet<MessageKind> = ALL_KINDS,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {
    this.sleeper = new WakeSignal({}, clock);
    this.logger = new Logger(`Subscription ${handler.name} $event_store`);
    this.categories = new Set(handler.streams);
    this.tracing = settings.subscription_profile === 'debug';
    if (handler.kind === 'projector') this.batches = new ProjectorBatches(handler.name, runner);
  }

  /**
   * The `debug` profile: each event's receipt, outcome with its duration, and the checkpoint
   * that acknowledges it, one `info` line each (see StreamSubscription).
   */
  private readonly tracing: boolean;

  get group(): string {
    return this.handler.name;
  }

  get stream(): string {
    return '$event_store';
  }

  async start(): Promise<void> {
    const saved = await this.database.getProjection(POSITIONS_PROJECTION, this.handler.name);
    this.position = this.savedPosition = typeof saved?.position === 'number' ? saved.position : 0;
    this.running = true;
    this.loopDone = this.loop();
  }

  stopReading(): void {
    this.running = false;
    this.stopping.abort(new Error('subscription stopped'));
    this.sleeper.wake();
  }

  /**
   * Lets the event in progress finish, at most until `deadline` (epoch ms), and saves the
   * position of what was handled; an event still running then is delivered again later.
   */
  async drain(deadline: number): Promise<void> {
    const remaining = Math.max(0, deadline - this.clock.now());
    if (!(await settlesWithin(this.loopDone, remaining, this.clock))) {
      this.abandoned = true;
      this.logger.warn(
        `Shutdown grace over: the event after position ${this.position} is left for redelivery`,
      );
    }
    await this.savePosition();
  }

  stopped(): Promise<void> {
    return this.loopDone;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        const events = this.contiguous(
          await this.eventStore.readAll(this.position, this.settings.messages_per_tick),
        );
        const read = { at: performance.now(), time: this.clock.now() };
        if (await this.deliverTogether(events, read)) {
          if (this.abandoned) break; // committed after the grace: the checkpoint stays
          this.position = events.at(-1)!.globalPosition;
          if (this.position - this.savedPosition >= this.settings.position_update_interval)
            await this.savePosition();
          continue;
        }
        for (const event of events) {
          if (!this.running || !(await this.deliver(event, read)) || this.abandoned) break;
          this.position = event.globalPosition;
          if (this.position - this.savedPosition >= this.settings.position_update_interval)
            await this.savePosition();
        }
        if (events.length === 0) {
          await this.savePosition();
          await this.sleeper.sleep(Math.max(IDLE_POLL_MS, this.settings.tick_interval * 1000));
        }
      } catch (error) {
        this.logger.warn(`Reading the event store failed, retrying: ${String(error)}`);
        await this.sleeper.sleep(1000);
      }
    }
  }

  /** The events up to the first hole that may still fill. */
  private contiguous(events: readonly StoredEvent[]): StoredEvent[] {
    const accepted: StoredEvent[] = [];
    let expected = this.position + 1;
    for (const event of events) {
      if (event.globalPosition !== expected && !this.gapExpired(expected)) break;
      accepted.push(event);
      expected = event.globalPosition + 1;
    }
    return accepted;
  }

  private gapExpired(position: number): boolean {
    const now = this.clock.now();
    if (this.gapSeenAt?.position !== position) this.gapSeenAt = { position, at: now };
    return now - this.gapSeenAt.at >= GAP_WAIT_MS;
  }

  /** The route of an event this subscription delivers; `undefined` for another type, kind or category. */
  private routeOf(envelope: MessageEnvelope) {
    const route = this.handler.routes.get(envelope.type);
    if (!route || !this.kinds.has(envelope.kind)) return undefined;
    return this.categories.has(categoryOf(envelope.stream)) ? route : undefined;
  }

  /** Hop `published_to_read`: the event store keeps no time of its own, its creation stands for it. */
  private observeRead(envelope: MessageEnvelope, read: Read): void {
    const created = Date.parse(envelope.metadata.time);
    if (!Number.isNaN(created))
      this.observer.hop(
        this.group,
        this.stream,
        'published_to_read',
        Math.max(0, read.time - created),
      );
  }

  /**
   * A projector's events of one read in one unit of work, each at most once; true when they
   * all committed. False, having changed nothing, when it is not a projector (or one that
   * raised events), when fewer than two of the events are its own, or when any of them
   * failed: the caller then delivers them one by one, each with its own retries.
   */
  private async deliverTogether(events: readonly StoredEvent[], read: Read): Promise<boolean> {
    if (!this.batches) return false;
    const mine = events.flatMap(({ envelope }) => {
      const route = this.routeOf(envelope);
      return route ? [{ envelope, route }] : [];
    });
    if (mine.length < 2) return false;
    const items: OnceWork[] = mine.map(({ envelope, route }) => ({
      messageId: envelope.id,
      ids: { correlationId: envelope.metadata.correlationId, causationId: envelope.id },
      work: () => route.invoke(instantiate(route.messageClass, envelope.payload)),
    }));
    const started = performance.now();
    if (!(await this.batches.together(items))) return false;
    const eachMs = (performance.now() - started) / mine.length;
    this.observer.hop(this.group, this.stream, 'read_to_started', started - read.at);
    for (const { envelope } of mine) {
      this.observeRead(envelope, read);
      this.observer.processed(this.group, this.stream, eachMs);
      this.observer.hop(this.group, this.stream, 'handler', eachMs);
    }
    if (this.tracing)
      this.logger.log(`${this.group} handled ${mine.length} events in one unit of work`);
    return true;
  }

  /**
   * Handles (or skips) one event; false when stopped before it was done. `read` is when the
   * read that returned it did: `at` by `performance.now()`, `time` by the clock.
   */
  private async deliver({ envelope, globalPosition }: StoredEvent, read: Read): Promise<boolean> {
    const route = this.routeOf(envelope);
    if (!route) return true;
    this.observeRead(envelope, read);
    const ids = { correlationId: envelope.metadata.correlationId, causationId: envelope.id };
    const label = `${envelope.type} ${envelope.id}`;
    const trace = (line: string) => this.tracing && this.logger.log(`${this.group} ${line}`);
    for (let attempt = 1; this.running; attempt++) {
      const started = performance.now();
      if (attempt === 1)
        this.observer.hop(this.group, this.stream, 'read_to_started', started - read.at);
      const took = () => `in ${(performance.now() - started).toFixed(1)} ms (attempt ${attempt})`;
      trace(`received ${label} (attempt ${attempt})`);
      const delivery = startStoreDelivery(
        this.group,
        this.eventStore.provider,
        envelope,
        globalPosition,
        attempt,
      );
      let delay: number;
      try {
        const message = instantiate(route.messageClass, envelope.payload);
        const run = () =>
          this.runner.runOnce(this.handler.name, envelope.id, ids, () => route.invoke(message), {
            budgetMs: this.settings.max_conflict_retry_seconds * 1000,
            signal: this.stopping.signal,
          });
        await (delivery ? context.with(delivery.active, run) : run());
        const elapsedMs = performance.now() - started;
        this.observer.processed(this.group, this.stream, elapsedMs);
        this.observer.hop(this.group, this.stream, 'handler', elapsedMs);
        trace(`handled ${label} ${took()}`);
        return true;
      } catch (error) {
        if (delivery) failSpan(delivery.span, error);
        if (!this.running) return false;
        trace(`failed ${label} ${took()}: ${String(error)}`);
        this.observer.failed(this.group, this.stream, error);
        if (attempt > this.settings.max_retries || isPermanentFailure(error)) {
          this.logger.error(
            `Skipping ${envelope.type} ${envelope.id} after ${attempt} attempt(s): ${String(error)}`,
          );
          // No dead-letter stream here: the span says the event was given up on.
          delivery?.span.addEvent('skipped', { 'protean.attempt': attempt });
          return true;
        }
        delay = backoffDelay(
          {
            baseMs: this.settings.retry_delay_seconds * 1000,
            maxMs: this.settings.max_retry_delay_seconds * 1000,
            jitter: 0.2,
          },
          attempt,
        );
        this.observer.retried(this.group, this.stream, delay);
        delivery?.span.addEvent('retry_scheduled', { 'protean.retry.delay_ms': delay });
      } finally {
        delivery?.span.end();
      }
      await this.sleeper.sleep(delay);
    }
    return false;
  }

  private async savePosition(): Promise<void> {
    if (this.position === this.savedPosition) return;
    const position = this.position;
    await this.database.transaction((session) =>
      session.putProjection(POSITIONS_PROJECTION, { id: this.handler.name, position }),
    );
    this.savedPosition = position;
    if (this.tracing) this.logger.log(`${this.group} acked through position ${position}`);
  }
}
