import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { ProteanConfig } from '../core/config/config.schema.js';
import type { Database } from '../ports/database/database.port.js';
import type { EventStore } from '../ports/event-store/event-store.port.js';
import type { OutboxStore } from '../ports/outbox/outbox-store.port.js';
import { migratedLine, setupSchema } from '../adapters/postgresql/schema/schema-setup.js';
import { PROTEAN_MODULE_OPTIONS, type ProteanModuleOptions } from './protean.module-definition.js';
import { DATABASE, EVENT_STORE, OUTBOX_STORE, PROTEAN_CONFIG } from '../core/protean.tokens.js';

/**
 * Runs the migrations first — when `runMigrations` says so, else when
 * `databases.default.auto_migrate` does (the default) — before anything writes; closes
 * connections last, after every `onModuleDestroy` drained the work that used them.
 */
@Injectable()
export class ProteanLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Protean');

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(OUTBOX_STORE) private readonly outbox: OutboxStore,
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    @Inject(PROTEAN_MODULE_OPTIONS) private readonly options: ProteanModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    const migrate = this.options.runMigrations ?? this.config.databases.default.auto_migrate;
    if (!migrate) return;
    const results = await setupSchema(this.config, { dataSource: this.options.dataSource });
    for (const { roles, target, applied } of results) {
      if (applied.length > 0) this.logger.log(migratedLine(target, roles, applied));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.eventStore.close(), this.outbox.close(), this.database.close()]);
  }
}
