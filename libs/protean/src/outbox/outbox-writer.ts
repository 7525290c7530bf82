import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { ProteanConfig } from '../config/config.schema.js';
import { UnitOfWorkManager } from '../domain/unit-of-work-manager.js';
import type { MessageEnvelope } from '../messages/message-envelope.js';
import { OUTBOX_STORE, PROTEAN_CONFIG } from '../protean.tokens.js';
import type { OutboxStore } from './outbox-store.port.js';
import { OutboxWakeup } from './outbox-wakeup.js';

/**
 * With `enable_outbox = true`, writes the outgoing messages of every unit of work to the
 * outbox inside its transaction: events when `event_processing = "async"`, commands when
 * `command_processing = "async"`. A rollback leaves no row; a commit wakes the processor.
 */
@Injectable()
export class OutboxWriter implements OnModuleInit {
  constructor(
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    @Inject(OUTBOX_STORE) private readonly store: OutboxStore,
    private readonly units: UnitOfWorkManager,
    private readonly wakeup: OutboxWakeup,
  ) {}

  /** Whether units of work write to the outbox. */
  get enabled(): boolean {
    return this.config.enable_outbox;
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    this.units.beforeCommit(async (session, messages) => {
      const outgoing = this.outgoing(messages);
      if (outgoing.length > 0) await this.store.append(session, outgoing);
    });
    this.units.afterCommit(async (messages) => {
      if (this.outgoing(messages).length > 0) this.wakeup.signal();
    });
  }

  /** The messages that travel through the outbox under the processing modes. */
  private outgoing(messages: readonly MessageEnvelope[]): MessageEnvelope[] {
    const events = this.config.event_processing === 'async';
    const commands = this.config.command_processing === 'async';
    return messages.filter((message) => (message.kind === 'EVENT' ? events : commands));
  }
}
