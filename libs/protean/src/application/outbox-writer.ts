import { Inject, Injectable } from '@nestjs/common';
import type { ProteanConfig } from '../core/config/config.schema.js';
import type { DatabaseSession } from '../ports/database/database.port.js';
import type { MessageEnvelope } from '../core/messages/message-envelope.js';
import { OUTBOX_STORE, PROTEAN_CONFIG } from '../core/protean.tokens.js';
import type { OutboxStore } from '../ports/outbox/outbox-store.port.js';
import { OutboxWakeup } from './outbox-wakeup.js';

/**
 * With `enable_outbox = true`, writes the async messages of every unit of work (those the
 * {@link DeliveryPolicy} routes through the outbox) to the outbox inside its transaction. A
 * rollback leaves no row. Once it commits, the rows leased to this process's after-commit
 * publisher go to it, and the processor of this process is woken for the others.
 *
 * @see DeliveryPolicy (application/delivery-policy.ts)
 */
@Injectable()
export class OutboxWriter {
  constructor(
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    @Inject(OUTBOX_STORE) private readonly store: OutboxStore,
    private readonly wakeup: OutboxWakeup,
  ) {}

  /** Whether units of work write to the outbox. */
  get enabled(): boolean {
    return this.config.enable_outbox;
  }

  /** Appends `outgoing` to the outbox in the unit of work's transaction. */
  async write(session: DatabaseSession, outgoing: readonly MessageEnvelope[]): Promise<void> {
    if (outgoing.length === 0) return;
    const publisher = this.wakeup.publisher;
    const leased = await this.store.append(session, outgoing, publisher?.lease());
    session.onCommit(() => {
      if (leased.length > 0) {
        const committedAt = Date.now();
        publisher!.publish(leased.map((row) => ({ ...row, createdAt: committedAt })));
      }
      if (leased.length < outgoing.length) this.wakeup.signal();
    });
  }
}
