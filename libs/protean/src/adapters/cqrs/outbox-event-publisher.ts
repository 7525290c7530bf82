import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IEvent, IEventPublisher } from '@nestjs/cqrs';
import { EventBus } from '../../application/event-bus.js';
import { messageOf } from '../../core/errors/error-message.js';
import { UnitOfWorkManager } from '../../model/unit-of-work-manager.js';
import { adoptCqrsMessage, aggregateIdOf } from './cqrs-messages.js';
import { PROTEAN_CQRS_OPTIONS, type ProteanCqrsOptions } from './protean-cqrs.options.js';

/**
 * The `eventPublisher` of `@nestjs/cqrs` under the bridge: `EventBus.publish` and
 * `AggregateRoot.commit()` hand their events to Protean's event bus instead of the in-memory
 * subject. Inside a unit of work (a command handler, an events handler or a saga run by the
 * bridge) an event joins it: it is written to the outbox in the same transaction, or not at
 * all. Outside one, it is written in a transaction of its own at once: durable when the
 * returned promise resolves, but not atomic with whatever the caller changed before; a failure
 * rejects that promise and is logged (`AggregateRoot.commit()` does not wait for it).
 */
@Injectable()
export class OutboxEventPublisher implements IEventPublisher {
  private readonly logger = new Logger('ProteanCqrs');

  constructor(
    private readonly events: EventBus,
    private readonly units: UnitOfWorkManager,
    @Inject(PROTEAN_CQRS_OPTIONS) private readonly options: ProteanCqrsOptions,
  ) {}

  /** Publishes one event, raised by `dispatcher` (an aggregate) when given. */
  publish<T extends IEvent>(event: T, dispatcher?: unknown): Promise<void> {
    return this.logged(this.enqueue(event, dispatcher), [event]);
  }

  /** Publishes events in order, in one unit of work (the caller's, or one of their own). */
  publishAll<T extends IEvent>(events: T[], dispatcher?: unknown): Promise<void> {
    const all = this.units.run(async () => {
      await Promise.all(events.map((event) => this.enqueue(event, dispatcher)));
    });
    return this.logged(all, events);
  }

  private enqueue(event: IEvent, dispatcher: unknown): Promise<void> {
    adoptCqrsMessage(event.constructor as new () => object, 'EVENT', this.options);
    return this.events.publish(event, aggregateIdOf(event, dispatcher, this.options.identifiedBy));
  }

  /** `written`, its failure logged: `AggregateRoot.commit()` never looks at it. */
  private logged(written: Promise<void>, events: readonly IEvent[]): Promise<void> {
    written.catch((error: unknown) => {
      const names = events.map((event) => event.constructor.name).join(', ');
      this.logger.error(`Not published (${names}): ${messageOf(error)}`);
    });
    return written;
  }
}
