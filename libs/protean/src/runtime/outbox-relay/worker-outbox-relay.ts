import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { ProteanConfig } from '../../core/config/config.schema.js';
import { PROTEAN_CONFIG } from '../../core/protean.tokens.js';
import { OutboxProcessor } from './outbox-processor.js';

/**
 * The outbox relay of a worker (`ProteanWorkerModule`): starts the {@link OutboxProcessor} at
 * bootstrap when `enable_outbox` and `server.run_outbox_processor` are on. The processor drains
 * itself at shutdown, whoever started it. A process without the worker module only writes to
 * the outbox.
 */
@Injectable()
export class WorkerOutboxRelay implements OnApplicationBootstrap {
  constructor(
    @Inject(PROTEAN_CONFIG) private readonly config: ProteanConfig,
    private readonly processor: OutboxProcessor,
  ) {}

  /** Whether the relay runs in this process: the outbox and the processor are both enabled. */
  get enabled(): boolean {
    return this.config.enable_outbox && this.config.server.run_outbox_processor;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.enabled) await this.processor.start();
  }
}
