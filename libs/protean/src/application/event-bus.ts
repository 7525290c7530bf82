import { Inject, Injectable, Logger } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { ProteanConfig } from '../core/config/config.schema.js';
import { HandlerRegistry } from '../model/handler-registry.js';
import { UnitOfWorkManager } from '../model/unit-of-work-manager.js';
import type { EnvelopeFactory } from '../core/messages/envelope-factory.js';
import type { MessageEnvelope } from '../core/messages/message-envelope.js';
import { instantiate } from '../core/messages/message-validation.js';
import { ENVELOPE_FACTORY, PROTEAN_CONFIG } from '../core/protean.tokens.js';
import { ScopedValue } from '../core/context/scoped-value.js';
import { HandlerRunner } from './handler-runner.js';
import { messageOf } from '../core/errors/error-message.js';

/** A handler that threw while handling an event in process. */
export interface HandlerFailure {
  readonly handler: string;
  readonly envelope: MessageEnvelope;
  readonly error: unknown;
}

/**
 * Publishes events. In `sync` mode, the events a unit of work raised are handled in process
 * right after it commits (the {@link DeliveryPolicy} hands them to {@link dispatchInOrder}):
 * every handler in its own unit of work, a failing handler reported and isolated from the
 * others. In `async` mode they travel through the outbox or the broker to the server engine
 * instead.
 */
@Injectable()
export class EventBus {
  private readonly logger = new Logger(EventBus.name);
  private readonly queue = new ScopedValue<MessageEnvelope[]>('event dispatch queue');
  /** Failures of in-process handlers, for metrics and tests. */
  readonly failures$ = new Subject<HandlerFailure>();

  constructor(
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    @Inject(ENVELOPE_FACTORY) private readonly envelopes: EnvelopeFactory,
    private readonly registry: HandlerRegistry,
    private readonly runner: HandlerRunner,
    private readonly units: UnitOfWorkManager,
  ) {}

  /** Whether events are processed asynchronously (`event_processing = "async"`). */
  get isAsync(): boolean {
    return this.config.event_processing === 'async';
  }

  /**
   * Dispatches breadth-first: events raised by handlers join the queue of the dispatch already
   * running, so every handler sees events in the order they were raised (a projector gets
   * `OrderPlaced` before the `OrderConfirmed` that a sibling handler raised in reaction to it).
   */
  async dispatchInOrder(events: readonly MessageEnvelope[]): Promise<void> {
    const running = this.queue.get();
    if (running) {
      running.push(...events);
      return;
    }
    const queue = [...events];
    await this.queue.run(queue, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await this.dispatch(next);
    });
  }

  /**
   * Publishes an event that no aggregate raised, as raised by the aggregate `aggregateId` of
   * its category. Inside a unit of work it is published when that commits.
   */
  async publish(event: object, aggregateId: string): Promise<void> {
    const envelope = this.envelopes.event(event, aggregateId);
    await this.units.run(async () => this.units.current()!.enqueue(envelope));
  }

  /** Hands one event to each of its handlers in turn; resolves when all have run. */
  async dispatch(envelope: MessageEnvelope): Promise<void> {
    const handlers = this.registry.eventHandlersFor(envelope.type);
    if (handlers.length === 0) return;
    const messageClass = this.registry.messageClass(envelope.type)!;
    for (const handler of handlers) {
      try {
        await this.runner.run(handler, envelope, instantiate(messageClass, envelope.payload));
      } catch (error) {
        this.report({ handler: handler.name, envelope, error });
      }
    }
  }

  private report(failure: HandlerFailure): void {
    const { handler, envelope, error } = failure;
    const reason = messageOf(error);
    this.logger.error(
      `Event handler ${handler} failed on ${envelope.type} ${envelope.id} ` +
        `(correlationId=${envelope.metadata.correlationId}): ${reason}`,
      error instanceof Error ? error.stack : undefined,
    );
    this.failures$.next(failure);
  }
}
