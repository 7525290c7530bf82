import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HeroesGameModule } from '../heroes/heroes.module.js';
import { HealthController } from './health.controller.js';
import { HeroStorageModule } from './hero-storage.module.js';
import { MemoryHeroRepository } from './memory-hero.repository.js';
import { StateController } from './state.controller.js';

/** The same heroes sample with `CqrsModule.forRoot()` alone: everything in memory, no Protean. */
@Module({
  imports: [CqrsModule.forRoot(), HeroStorageModule.with(MemoryHeroRepository), HeroesGameModule],
  controllers: [HealthController, StateController],
})
export class MemoryAppModule {}
