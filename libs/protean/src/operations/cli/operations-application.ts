import type { INestApplicationContext } from '@nestjs/common';
import type { ProteanConfig } from '../../core/config/config.schema.js';
import { infrastructureProviders } from '../../runtime/protean-infrastructure.js';
import { ProteanLifecycle } from '../../runtime/protean-lifecycle.js';
import { PROTEAN_MODULE_OPTIONS } from '../../runtime/protean.module-definition.js';
import { bootCommandContext } from './command-context.js';

/**
 * Boots the configured infrastructure alone — configuration, database, event store, outbox
 * store and brokers, no domain — for the commands that inspect and repair what runs (dead
 * letters, outbox): they start in about half the time and still work when the domain's code
 * cannot load.
 */
export function bootOperationsApplication(options: {
  readonly domain: string;
  readonly config: ProteanConfig;
}): Promise<INestApplicationContext> {
  return bootCommandContext(options.config, {
    providers: [
      {
        provide: PROTEAN_MODULE_OPTIONS,
        // Inspecting never changes the schema: `db setup` (or a start) migrates.
        useValue: { domain: options.domain, config: options.config, runMigrations: false },
      },
      ...infrastructureProviders,
      ProteanLifecycle,
    ],
  });
}
