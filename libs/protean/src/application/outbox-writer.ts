import { Inject, Injectable } from '@nestjs/common';
import type { ProteanConfig } from '../core/config/config.schema.js';
import type { DatabaseSession } from '../ports/database/database.port.js';
import type { MessageEnvelope } from '../core/messages/message-envelope.js';
import { OUTBOX_STORE, PROTEAN_CONFIG } from '../core/protean.tokens.js';
import type { OutboxStore } from '../ports/outbox/outbox-store.port.js';
import { OutboxWakeup } from './outbox-wakeup.js';

/**
 * With `enable_outbox = true`, writes the async messages of every unit of work (those the
 * {@link DeliveryPolicy} routes through the outbox) to the outbox inside its transaction, and
 * wakes the processor once it commits. A rollback leaves no row.
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
    if (outgoing.length > 0) await this.store.append(session, outgoing);
  }

  /** After the commit of a unit of work that wrote `outgoing`: wakes the processor. */
  committed(outgoing: readonly MessageEnvelope[]): void {
    if (outgoing.length > 0) this.wakeup.signal();
  }
}
