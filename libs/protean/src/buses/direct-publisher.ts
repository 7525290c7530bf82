import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { BrokerLookup } from '../brokers/broker-lookup.js';
import type { ProteanConfig } from '../config/config.schema.js';
import { UnitOfWorkManager } from '../domain/unit-of-work-manager.js';
import { serializeEnvelope } from '../messages/envelope-codec.js';
import { categoryOf } from '../messages/stream-names.js';
import { BROKER_REGISTRY, PROTEAN_CONFIG } from '../protean.tokens.js';
import { asyncMessagesOf } from './async-messages.js';

/**
 * Async processing without the outbox (`enable_outbox = false`): publishes a unit of work's
 * async messages to the broker right after it commits. A broker failure then loses them after
 * the commit — the gap the transactional outbox closes; use it in production.
 */
@Injectable()
export class DirectPublisher implements OnModuleInit {
  private readonly logger = new Logger(DirectPublisher.name);

  constructor(
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerLookup,
    private readonly units: UnitOfWorkManager,
  ) {}

  onModuleInit(): void {
    const { enable_outbox, command_processing, event_processing } = this.config;
    if (enable_outbox || (command_processing === 'sync' && event_processing === 'sync')) return;
    this.logger.warn(
      'Async processing without the outbox: a broker failure after commit loses messages',
    );
    this.units.afterCommit(async (messages) => {
      const outgoing = asyncMessagesOf(this.config, messages);
      if (outgoing.length === 0) return;
      await this.brokers
        .get(this.config.outbox.broker)
        .publishBatch(
          outgoing.map((m) => ({ stream: categoryOf(m.stream), data: serializeEnvelope(m) })),
        );
    });
  }
}
