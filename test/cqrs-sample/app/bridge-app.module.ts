import { Module, type DynamicModule } from '@nestjs/common';
import { ProteanModule, type ProteanConfig } from 'nestjs-protean';
import { ProteanCqrsModule } from 'nestjs-protean/cqrs';
import { DropAncientItemCommand } from '../heroes/commands/impl/drop-ancient-item.command.js';
import { HeroesGameModule } from '../heroes/heroes.module.js';
import { HealthController } from './health.controller.js';
import { HeroSchema } from './hero-schema.js';
import { HeroStorageModule } from './hero-storage.module.js';
import { PostgresHeroRepository } from './postgres-hero.repository.js';

/**
 * The heroes sample on Protean: `ProteanCqrsModule.forRoot()` where the official sample has
 * `CqrsModule.forRoot()`, beside `ProteanModule.forRoot()`. `KillDragonCommand` stays sync
 * (the HTTP call returns once it is handled); `DropAncientItemCommand`, which the saga
 * dispatches, is async: persisted through the outbox, handled in the worker.
 */
@Module({})
export class BridgeAppModule {
  static register(config: ProteanConfig): DynamicModule {
    return {
      module: BridgeAppModule,
      imports: [
        ProteanModule.forRoot({ domain: 'heroes', config }),
        ProteanCqrsModule.forRoot({
          category: 'hero',
          identifiedBy: 'heroId',
          commands: { default: 'sync', async: [DropAncientItemCommand] },
        }),
        HeroStorageModule.with(PostgresHeroRepository, [HeroSchema]),
        HeroesGameModule,
      ],
      controllers: [HealthController],
    };
  }
}
