import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import type { ProteanConfig } from '../../core/config/config.schema.js';
import type { Type } from '../../core/messages/domain-types.js';
import { ProteanStatusModule } from '../observability/status/protean-status.module.js';
import { ProteanModule } from '../../runtime/protean.module.js';
import { bootCommandContext } from './command-context.js';

export interface CliApplicationOptions {
  readonly domain: string;
  readonly config: ProteanConfig;
  readonly modules: ReadonlyArray<Type | DynamicModule>;
}

/**
 * Boots the project's domain as a Nest application context for one command (loaded by the CLI
 * only when a command runs, so `--help` never loads Nest).
 */
export function bootCliApplication(
  options: CliApplicationOptions,
): Promise<INestApplicationContext> {
  return bootCommandContext(options.config, {
    imports: [
      ProteanModule.forRoot({
        domain: options.domain,
        config: options.config,
        // A one-shot command changes no schema: `db setup` and the processes' start do.
        runMigrations: false,
      }),
      ProteanStatusModule,
      ...options.modules,
    ],
  });
}
