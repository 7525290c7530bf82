import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { ProteanConfig } from '../core/config/config.schema.js';
import { UnitOfWorkManager } from '../model/unit-of-work-manager.js';
import { EventStoreRecorder } from './event-store-recorder.js';
import type { MessageEnvelope, MessageKind } from '../core/messages/message-envelope.js';
import { OutboxWriter } from './outbox-writer.js';
import { PROTEAN_CONFIG } from '../core/protean.tokens.js';
import { asyncKindsOf } from './async-messages.js';
import { DirectPublisher } from './direct-publisher.js';
import { EventBus } from './event-bus.js';

/**
 * Where the messages of a unit of work go once it commits — derived once from the
 * configuration, and the one place that registers unit-of-work hooks. The async messages are
 * those of {@link asyncKindsOf}; the hooks run in this order:
 *
 * Inside the transaction (`beforeCommit`). A throw rolls the unit of work back — no aggregate,
 * no record, no outbox row — and the caller of the unit of work gets the error:
 * 1. the event store records the events and async commands, when it joins the unit of work
 *    (a `postgresql` event store on the application's database);
 * 2. the outbox stores the async messages, with `enable_outbox = true`; once the transaction
 *    commits, the rows leased to this process's after-commit publisher are handed to it and the
 *    outbox processor of this process is woken for the others (see {@link OutboxWriter}).
 *
 * After the commit (`afterCommit`). The commit stands whatever happens; a throw skips the
 * hooks after it and rejects the caller of the unit of work (when it joined the application's
 * own transaction, the throw is logged instead):
 * 3. the event store records them, when it lives apart (`memory`, or another database): a
 *    throw leaves them unrecorded;
 * 4. the async messages are published to the broker directly, when async processing runs
 *    without the outbox: a throw loses them (the gap the outbox closes);
 * 5. the events are handled in process, with `event_processing = "sync"`: each handler in its
 *    own unit of work, a failing one logged and reported on `EventBus.failures$`.
 */
@Injectable()
export class DeliveryPolicy implements OnModuleInit {
  /** Its warning has always been the direct publisher's, and keeps that name in the logs. */
  private readonly logger = new Logger('DirectPublisher');
  /** The kinds of message that travel asynchronously (outbox, broker, event store readers). */
  readonly asyncKinds: ReadonlySet<MessageKind>;

  constructor(
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    private readonly units: UnitOfWorkManager,
    private readonly eventStore: EventStoreRecorder,
    private readonly outbox: OutboxWriter,
    private readonly publisher: DirectPublisher,
    private readonly events: EventBus,
  ) {
    this.asyncKinds = asyncKindsOf(config);
  }

  /** The messages of `messages` that travel asynchronously. */
  asyncMessagesOf(messages: readonly MessageEnvelope[]): MessageEnvelope[] {
    return messages.filter((message) => this.asyncKinds.has(message.kind));
  }

  /** Registers the hooks, in the order documented above. */
  onModuleInit(): void {
    const recordInTransaction = this.eventStore.joinsUnitOfWork;
    const outbox = this.config.enable_outbox;
    const direct = !outbox && this.asyncKinds.size > 0;
    const inProcess = !this.asyncKinds.has('EVENT');

    if (recordInTransaction)
      this.units.beforeCommit((session, messages) => this.eventStore.record(messages, session));
    if (outbox)
      this.units.beforeCommit((session, messages) =>
        this.outbox.write(session, this.asyncMessagesOf(messages)),
      );

    if (!recordInTransaction)
      this.units.afterCommit((messages) => this.eventStore.record(messages));
    if (direct) {
      this.logger.warn(
        'Async processing without the outbox: a broker failure after commit loses messages',
      );
      this.units.afterCommit((messages) => this.publisher.publish(this.asyncMessagesOf(messages)));
    }
    if (inProcess)
      this.units.afterCommit((messages) =>
        this.events.dispatchInOrder(messages.filter((message) => message.kind === 'EVENT')),
      );
  }
}
